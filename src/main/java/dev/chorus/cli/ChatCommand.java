package dev.chorus.cli;

import dev.chorus.chat.client.ChatClient;
import dev.chorus.chat.client.ChatSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code chorus chat}: an interactive terminal client of a Chorus (or any OpenAI-compatible) server. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a running server in the terminal: answers stream in, and a dim line after each "
                + "shows the routing decision (X-Chorus-* headers).")
public final class ChatCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "Server base URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--model", defaultValue = "chorus", paramLabel = "ID",
            description = "Model: 'chorus' routes automatically, an expert id pins it (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key (default: $CHORUS_API_KEY if set).")
    String apiKey;

    @Spec
    CommandSpec spec;

    /** Where user lines come from; tests replace it. */
    InputStream input = System.in;

    @Override
    public Integer call() throws IOException {
        String key = apiKey != null ? apiKey : System.getenv("CHORUS_API_KEY");
        boolean ansi = System.console() != null && !"dumb".equals(System.getenv("TERM")) && input == System.in;
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        new ChatSession(new ChatClient(url, model, key), in, spec.commandLine().getOut(), ansi).run();
        return 0;
    }
}
