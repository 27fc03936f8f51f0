package dev.chorus.serve.schedule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per remote expert: calls that worked and failed, and the last error, for {@code /v1/experts}. Thread-safe. */
public final class RemoteHealth {
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        long successes;
        long failures;
        int consecutiveFailures;
        String lastError;
        Instant lastFailure;
        Instant lastSuccess;
    }

    private State state(String id) {
        return states.computeIfAbsent(id, k -> new State());
    }

    public void success(String id) {
        State s = state(id);
        synchronized (s) {
            s.successes++;
            s.consecutiveFailures = 0;
            s.lastSuccess = Instant.now();
        }
    }

    public void failure(String id, Throwable error) {
        State s = state(id);
        synchronized (s) {
            s.failures++;
            s.consecutiveFailures++;
            s.lastError = String.valueOf(error.getMessage());
            s.lastFailure = Instant.now();
        }
    }

    /** Healthy until its last call failed (a failed call is retried, then the request falls back). */
    public boolean healthy(String id) {
        State s = state(id);
        synchronized (s) {
            return s.consecutiveFailures == 0;
        }
    }

    /** The stats shown for a remote expert in {@code /v1/experts}. */
    public Map<String, Object> stats(String id) {
        State s = state(id);
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (s) {
            m.put("healthy", s.consecutiveFailures == 0);
            m.put("successes", s.successes);
            m.put("failures", s.failures);
            m.put("consecutive_failures", s.consecutiveFailures);
            m.put("last_error", s.lastError);
            m.put("last_failure", s.lastFailure == null ? null : s.lastFailure.toString());
            m.put("last_success", s.lastSuccess == null ? null : s.lastSuccess.toString());
        }
        return m;
    }
}
