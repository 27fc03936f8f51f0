package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chorus bench ...}: the benchmark group. Each benchmark is its own subcommand class; list it here. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (each reports speed as a ratio to a baseline measured in the same run).",
        subcommands = {
                BenchTokenizeCommand.class,
                BenchGgufCommand.class,
                BenchKernelsCommand.class,
                BenchSwitchCommand.class,
                BenchRouteCommand.class,
                BenchServeOverheadCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
