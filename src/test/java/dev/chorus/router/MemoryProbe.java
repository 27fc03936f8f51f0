package dev.chorus.router;

import java.nio.file.Files;
import java.nio.file.Path;

/** Manual probe (not a test): resident memory after each stage of loading the router and routing with it. */
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
        long start = rss();
        OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm();
        System.gc();
        long encoder = rss();
        Router r = new Router(enc, DefaultRouter.load(enc), RoutingPolicy.identity(java.util.List.of()));
        System.gc();
        long router = rss();
        for (int i = 0; i < 300; i++) {
            r.route("prompt number " + i + " about some topic ".repeat(i % 40 + 1));
        }
        System.gc();
        long routed = rss();
        System.out.printf("rss MB: jvm start %d, encoder %d, router %d, after 300 routes %d; router share %d%n",
                start, encoder, router, routed, routed - start);
        Thread.sleep(Long.getLong("probe.sleep", 0));
    }
}
