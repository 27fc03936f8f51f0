package dev.chorus.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One expert as the server's {@code /v1/experts} shows it.
 *
 * @param bytes      bytes it holds in its current tier's budget (0 when cold)
 * @param locked     whether its weights are mlocked (false when hot but locking was refused: resident, not locked)
 * @param leases     requests currently using it (pins included)
 * @param inFlight   the tier it is moving to, or null
 * @param lastUse    wall-clock time of the last acquire or prefetch, or null if never used
 */
public record ExpertStatus(String id, Path path, Tier tier, long weightBytes, long stateBytes, long bytes,
                           boolean locked, boolean pinned, int leases, Tier inFlight, Instant lastUse,
                           double requestsPerSecond, long loads, Duration loadTime, Duration keepAlive) {
}
