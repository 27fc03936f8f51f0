package dev.chorus.router;

import dev.chorus.ChorusException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The versioned binary router file. Layout (big-endian): magic "CHORUSRT", int format version, long payload length,
 * payload, int CRC32C of the payload. Payload: encoder id, dimension, labels, threshold, classifier kind and
 * parameters. Readers refuse a newer version, a truncated file and a checksum mismatch with a message naming the file.
 */
public final class RouterFile {
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "CHORUSRT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RouterFile() {
    }

    public static byte[] toBytes(RouterModel model) {
        try {
            byte[] payload = payload(model);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 32);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(payload.length);
            out.write(payload);
            out.writeInt(crc(payload));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in-memory streams do not fail
        }
    }

    /** Writes atomically (temp file + move) so a crash never leaves a half-written router behind. */
    public static void write(RouterModel model, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, toBytes(model));
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static RouterModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ChorusException("router file not found: " + file);
        }
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    public static RouterModel fromBytes(byte[] bytes, String name) {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ChorusException(name + " is not a Chorus router file (bad magic)");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        if (bytes.length < MAGIC.length + 12) {
            throw new ChorusException("router file " + name + " is truncated");
        }
        header.position(MAGIC.length);
        int version = header.getInt();
        if (version > FORMAT_VERSION || version < 1) {
            throw new ChorusException("router file " + name + " has format version " + version
                    + "; this Chorus reads versions 1.." + FORMAT_VERSION + " (rebuild it or upgrade Chorus)");
        }
        long length = header.getLong();
        int start = header.position();
        if (length < 0 || length > bytes.length - start - 4L) {
            throw new ChorusException("router file " + name + " is truncated (payload says " + length
                    + " bytes, file holds " + Math.max(0, bytes.length - start - 4) + ")");
        }
        byte[] payload = Arrays.copyOfRange(bytes, start, start + (int) length);
        int stored = ByteBuffer.wrap(bytes, start + (int) length, 4).getInt();
        if (stored != crc(payload)) {
            throw new ChorusException("router file " + name + " is corrupt (checksum mismatch)");
        }
        try {
            return parsePayload(new DataInputStream(new ByteArrayInputStream(payload)));
        } catch (EOFException e) {
            throw new ChorusException("router file " + name + " is corrupt (payload ends early)");
        } catch (IOException | IllegalArgumentException e) {
            throw new ChorusException("router file " + name + " is corrupt: " + e.getMessage());
        }
    }

    private static byte[] payload(RouterModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(model.encoderId());
        out.writeInt(model.dimension());
        out.writeInt(model.labels().size());
        for (String label : model.labels()) {
            out.writeUTF(label);
        }
        out.writeDouble(model.threshold());
        out.writeUTF(model.classifier().kind().name());
        switch (model.classifier()) {
            case KnnClassifier knn -> {
                out.writeInt(knn.k());
                out.writeDouble(knn.temperature());
                writeDoubles(out, knn.classWeights());
                out.writeInt(knn.points().length);
                for (int i = 0; i < knn.points().length; i++) {
                    out.writeInt(knn.labels()[i]);
                    for (float x : knn.points()[i]) {
                        out.writeFloat(x);
                    }
                }
            }
            case SoftmaxClassifier softmax -> {
                writeDoubles(out, softmax.bias());
                for (double[] row : softmax.weights()) {
                    writeDoubles(out, row);
                }
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static RouterModel parsePayload(DataInputStream in) throws IOException {
        String encoderId = in.readUTF();
        int dim = in.readInt();
        int labelCount = in.readInt();
        if (dim < 1 || dim > 1 << 16 || labelCount < 1 || labelCount > 4096) {
            throw new IOException("implausible dimension " + dim + " or label count " + labelCount);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < labelCount; i++) {
            labels.add(in.readUTF());
        }
        double threshold = in.readDouble();
        String kind = in.readUTF();
        Classifier classifier = switch (kind) {
            case "KNN" -> {
                int k = in.readInt();
                double temperature = in.readDouble();
                double[] classWeights = readDoubles(in, labelCount);
                int n = in.readInt();
                if (n < 1 || (long) n * dim > 100_000_000L) {
                    throw new IOException("implausible kNN point count " + n);
                }
                float[][] points = new float[n][dim];
                int[] pointLabels = new int[n];
                for (int i = 0; i < n; i++) {
                    pointLabels[i] = in.readInt();
                    if (pointLabels[i] < 0 || pointLabels[i] >= labelCount) {
                        throw new IOException("kNN label index out of range");
                    }
                    for (int j = 0; j < dim; j++) {
                        points[i][j] = in.readFloat();
                    }
                }
                yield new KnnClassifier(points, pointLabels, labelCount, k, temperature, classWeights);
            }
            case "SOFTMAX" -> {
                double[] bias = readDoubles(in, labelCount);
                double[][] weights = new double[labelCount][];
                for (int c = 0; c < labelCount; c++) {
                    weights[c] = readDoubles(in, dim);
                }
                yield new SoftmaxClassifier(weights, bias);
            }
            default -> throw new IOException("unknown classifier kind " + kind);
        };
        if (in.available() > 0) {
            throw new IOException(in.available() + " unexpected trailing bytes");
        }
        return new RouterModel(encoderId, dim, labels, classifier, threshold);
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IOException("expected " + expected + " values, found " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
