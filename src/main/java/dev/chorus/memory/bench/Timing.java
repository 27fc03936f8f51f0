package dev.chorus.memory.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock and calling-thread CPU time of one measured step, in milliseconds. On a shared, oversubscribed machine
 * wall time is mostly other processes' time slices; the CPU time of the request's thread (with a one-thread engine all
 * of a request's work, page faults included) is what the step costs when uncontended. Steps that wait for the disk
 * are judged by wall time.
 */
record Timing(double wallMs, double cpuMs) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static Timing of(Runnable step) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        step.run();
        return new Timing((System.nanoTime() - wall) / 1e6, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
    }
}
