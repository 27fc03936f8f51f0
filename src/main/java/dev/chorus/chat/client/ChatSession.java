package dev.chorus.chat.client;

import dev.chorus.ChorusException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The interactive loop of {@code chorus chat}: reads user lines, keeps the conversation, prints each answer as it
 * streams and one dim line with the routing decision. Commands: {@code /reset}, {@code /system TEXT}, {@code /exit}.
 */
public final class ChatSession {
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";
    /** The routing fields shown first, in this order; other X-Chorus-* headers follow alphabetically. */
    private static final List<String> FIRST_FIELDS = List.of("expert", "category", "confidence", "fallback", "tier");

    private final ChatClient client;
    private final BufferedReader in;
    private final PrintWriter out;
    private final boolean ansi;
    private final List<Map<String, Object>> conversation = new ArrayList<>();

    public ChatSession(ChatClient client, BufferedReader in, PrintWriter out, boolean ansi) {
        this.client = client;
        this.in = in;
        this.out = out;
        this.ansi = ansi;
    }

    /** Runs until /exit or end of input. */
    public void run() throws IOException {
        out.println(dim("chorus chat: /reset clears the conversation, /system TEXT sets a system prompt, /exit quits"));
        while (true) {
            out.print("> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.strip().equals("/exit")) {
                out.println();
                out.flush();
                return;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.strip().equals("/reset")) {
                conversation.clear();
                out.println(dim("(conversation cleared)"));
                continue;
            }
            if (line.startsWith("/system ")) {
                conversation.removeIf(m -> "system".equals(m.get("role")));
                conversation.addFirst(message("system", line.substring("/system ".length()).strip()));
                out.println(dim("(system prompt set)"));
                continue;
            }
            ask(line);
        }
    }

    private void ask(String text) {
        conversation.add(message("user", text));
        try {
            ChatClient.Answer answer = client.stream(conversation, delta -> {
                out.print(delta);
                out.flush();
            });
            out.println();
            out.println(dim(routingLine(answer)));
            out.flush();
            conversation.add(message("assistant", answer.content()));
        } catch (ChorusException e) {
            conversation.removeLast(); // keep the history to turns that were answered
            out.println();
            out.println("chorus: " + e.getMessage());
            out.flush();
        }
    }

    /** e.g. {@code [expert=coder category=code confidence=0.91 tier=hot]}. */
    static String routingLine(ChatClient.Answer answer) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : FIRST_FIELDS) {
            if (answer.routing().containsKey(key)) {
                fields.put(key, answer.routing().get(key));
            }
        }
        answer.routing().forEach(fields::putIfAbsent);
        if (fields.isEmpty() && answer.model() != null) {
            fields.put("model", answer.model());
        }
        if (answer.finishReason() != null) {
            fields.put("finish", answer.finishReason());
        }
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ", "[", "]"));
    }

    private String dim(String text) {
        return ansi ? DIM + text + RESET : text;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    List<Map<String, Object>> conversation() {
        return conversation;
    }
}
