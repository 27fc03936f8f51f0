package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chorus router ...}: train, evaluate and calibrate prompt routers. */
@Command(name = "router", description = "Train, evaluate and calibrate the prompt -> category router.",
        subcommands = {RouterTrainCommand.class, RouterEvalCommand.class, RouterCalibrateThresholdCommand.class})
public final class RouterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
