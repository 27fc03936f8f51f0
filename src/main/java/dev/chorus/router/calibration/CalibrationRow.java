package dev.chorus.router.calibration;

/** One calibration row: a prompt, its category and the reference continuation an expert should predict. */
public record CalibrationRow(String prompt, String category, String reference, int line) {
}
