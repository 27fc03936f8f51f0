package dev.chorus.model;

import dev.chorus.gguf.GgmlType;
import dev.chorus.tensor.WeightMatrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** TEMPORARY until dev.chorus.tensor has kernels: F32/F16 matrices with plain float dots. */
final class WeightMatrices {
    private WeightMatrices() {
    }

    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        if (type != GgmlType.F32 && type != GgmlType.F16) {
            throw new dev.chorus.ChorusException("weight type " + type + " needs the tensor kernels");
        }
        return new WeightMatrix() {
            public GgmlType type() { return type; }
            public int rows() { return rows; }
            public int cols() { return cols; }
            public MemorySegment data() { return data; }

            public void matVec(float[] x, float[] out, int rowFrom, int rowTo) {
                matMul(x, 1, out, rowFrom, rowTo);
            }

            public void matMul(float[] x, int n, float[] out, int rowFrom, int rowTo) {
                float[] row = new float[cols];
                for (int r = rowFrom; r < rowTo; r++) {
                    dequantizeRow(r, row, 0);
                    for (int b = 0; b < n; b++) {
                        float s = 0;
                        for (int c = 0; c < cols; c++) {
                            s += row[c] * x[b * cols + c];
                        }
                        out[b * rows + r] = s;
                    }
                }
            }

            public void dequantizeRow(int row, float[] dst, int off) {
                long base = (long) row * cols;
                for (int c = 0; c < cols; c++) {
                    dst[off + c] = type == GgmlType.F32
                            ? data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, base + c)
                            : Float.float16ToFloat(data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, base + c));
                }
            }
        };
    }
}
