package dev.chorus.router;

import java.nio.file.Files;
import java.nio.file.Path;

/** Manual probe (not a test): resident memory after each stage of loading the router. */
public final class MemoryProbe {
    static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        System.gc();
        System.out.println("jvm start rss MB " + rss());
        OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm();
        System.gc();
        System.out.println("encoder loaded rss MB " + rss());
        Router r = new Router(enc, DefaultRouter.load(enc), RoutingPolicy.identity(java.util.List.of()));
        System.gc();
        System.out.println("router loaded rss MB " + rss());
        for (int i = 0; i < 200; i++) {
            r.route("prompt number " + i + " about some topic ".repeat(i % 30 + 1));
        }
        System.gc();
        System.out.println("after 200 routes rss MB " + rss());
        Thread.sleep(Long.getLong("probe.sleep", 0));
    }
}
