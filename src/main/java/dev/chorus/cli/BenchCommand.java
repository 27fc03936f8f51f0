package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chorus bench ...}: micro-benchmarks of Chorus components. */
@Command(name = "bench", description = "Benchmarks of Chorus components.",
        subcommands = {BenchRouteCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
