package dev.chorus.router.calibration;

/** Scores how well an expert predicts {@code reference} after {@code prompt}. */
public interface ReferenceScorer extends AutoCloseable {
    ReferenceNll score(String prompt, String separator, String reference);

    @Override
    default void close() {
    }
}
