package dev.chorus.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's Micrometer meters, scraped as Prometheus text at {@code /metrics}. Other components (the tier
 * store, the router) may register their own meters in {@link #registry()}.
 */
public final class ServerMetrics {
    private static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry;

    public ServerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** A finished HTTP generation request: outcome is ok, cancelled or error. */
    public void request(String endpoint, String expert, String category, String outcome, long nanos) {
        Timer.builder("chorus.requests").description("Generation requests by endpoint, expert, category, outcome")
                .tags("endpoint", endpoint, "expert", expert, "category", category, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void error(String endpoint, int status) {
        Counter.builder("chorus.http.errors").description("Requests answered with an error status")
                .tags("endpoint", endpoint, "status", Integer.toString(status)).register(registry).increment();
    }

    /** A request whose connection broke before its body was read: nobody was left to answer. */
    public void aborted(String endpoint) {
        Counter.builder("chorus.http.aborted").description("Requests whose connection broke before their body was read")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    public void timeToFirstToken(String expert, long nanos) {
        Timer.builder("chorus.time.to.first.token").description("From request arrival to the first generated token")
                .tag("expert", expert).serviceLevelObjectives(LATENCY_SLOS)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void interToken(String expert, long nanos) {
        Timer.builder("chorus.inter.token.latency").description("Time between consecutive generated tokens")
                .tag("expert", expert).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tokens(String expert, int prompt, int completion) {
        Counter.builder("chorus.tokens").tags("expert", expert, "kind", "prompt").register(registry).increment(prompt);
        Counter.builder("chorus.tokens").tags("expert", expert, "kind", "completion").register(registry)
                .increment(completion);
    }

    public void routed(String category, double millis) {
        Timer.builder("chorus.router.latency").description("Time the router took to choose an expert")
                .tag("category", category).register(registry).record(Duration.ofNanos((long) (millis * 1e6)));
    }

    /** Called once per request when its expert is ready; a request whose expert was not hot counts as a switch. */
    public void served(String expert, ServedFrom from) {
        if (!from.switched()) {
            return;
        }
        Counter.builder("chorus.expert.switches").description("Requests that had to bring their expert into hot memory")
                .tags("expert", expert, "from_tier", from.tier()).register(registry).increment();
        Timer.builder("chorus.expert.switch.duration").tags("from_tier", from.tier())
                .register(registry).record(Duration.ofNanos((long) (from.switchMillis() * 1e6)));
    }

    /** Counts tokens as the expert produces them (whether or not a client is still reading). */
    public Counter generatedTokens(String expert) {
        return Counter.builder("chorus.generated.tokens").description("Tokens produced by the experts")
                .tag("expert", expert).register(registry);
    }

    /** Counts generations that ended because their client left (or the server stopped). */
    public Counter cancelledGenerations(String expert) {
        return Counter.builder("chorus.generations.cancelled")
                .description("Generations stopped early because nobody wanted the rest")
                .tag("expert", expert).register(registry);
    }

    public void embedding(int inputs) {
        DistributionSummary.builder("chorus.embedding.inputs").register(registry).record(inputs);
    }

    /** Gauges that read live state: queue length per expert, running requests, bytes per tier. */
    public void bind(ChorusServices services) {
        for (String id : services.experts().keySet()) {
            Gauge.builder("chorus.queue.length", services.scheduler(), s -> s.queued(id))
                    .description("Requests waiting for an expert").tag("expert", id).register(registry);
        }
        Gauge.builder("chorus.requests.running", services.scheduler(), RequestScheduler::running)
                .description("Requests generating now").register(registry);
        for (String tier : new String[] {"hot", "warm"}) {
            Gauge.builder("chorus.tier.bytes", services.tiers(), t -> t.bytesByTier().getOrDefault(tier, 0L))
                    .description("Expert bytes held in each memory tier").baseUnit("bytes").tag("tier", tier)
                    .register(registry);
        }
    }
}
