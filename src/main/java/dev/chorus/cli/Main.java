package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code chorus} command line. Each subcommand lives in its own class in this package. */
@Command(name = "chorus", mixinStandardHelpOptions = true, version = "chorus 0.1.0",
        description = "Chorus: a Composition-of-Experts LLM server for the JVM.",
        subcommands = {
                CommandLine.HelpCommand.class,
                InspectCommand.class,
                TokenizeCommand.class,
                BenchCommand.class,
                GenerateCommand.class,
                PerplexityCommand.class,
                SynthCommand.class,
                TemplateCommand.class,
                ChatCommand.class,
                RouterCommand.class,
                RouteCommand.class,
                CalibrateCommand.class,
                ServeCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI without exiting, for tests. */
    public static int execute(String... args) {
        return Cli.newCommandLine(new Main()).execute(args);
    }
}
