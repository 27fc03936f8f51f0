package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chorus bench}: the group of short benchmarks; each area adds its own subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (each reports speed as a ratio to a baseline measured in the same run).",
        subcommands = {
                BenchTokenizeCommand.class,
                BenchSwitchCommand.class,
                BenchGgufCommand.class,
                BenchKernelsCommand.class,
        })
        description = "Short benchmarks that report speed against a baseline measured in the same run.",
        subcommands = {BenchTokenizeCommand.class, BenchRouteCommand.class})
        subcommands = {BenchTokenizeCommand.class, BenchSwitchCommand.class})
                BenchRouteCommand.class,
                BenchServeOverheadCommand.class,
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
