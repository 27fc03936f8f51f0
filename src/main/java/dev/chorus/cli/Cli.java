package dev.chorus.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Builds the picocli command line with Chorus's error policy: a user error prints one clear line and exits
 * non-zero; the stack trace is printed only with {@code --verbose} (or {@code -v}) anywhere on the command line.
 */
final class Cli {
    static final int EXIT_USER_ERROR = 2;
    static final int EXIT_FAILURE = 1;

    private Cli() {
    }

    static CommandLine newCommandLine(Object root) {
        CommandLine cmd = new CommandLine(root);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = Arrays.asList(parseResult.originalArgs().toArray(new String[0])).contains("--verbose");
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("chorus: " + message);
            if (verbose) {
                ex.printStackTrace(err);
            } else if (!(ex instanceof IllegalArgumentException) && !(ex instanceof java.io.IOException)
                    && !(ex instanceof dev.chorus.ChorusException)) {
                err.println("chorus: (run with --verbose for the stack trace)");
            }
            err.flush();
            return ex instanceof dev.chorus.ChorusException || ex instanceof IllegalArgumentException
                    || ex instanceof java.io.IOException ? EXIT_USER_ERROR : EXIT_FAILURE;
        });
        return cmd;
    }
}
