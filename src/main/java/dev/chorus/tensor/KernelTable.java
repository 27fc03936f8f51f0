package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.util.EnumMap;
import java.util.Map;

/** The one table from weight type to its kernels; {@link WeightMatrix#of} dispatches through it. */
final class KernelTable {
    private static final Map<GgmlType, TypeKernel> KERNELS = new EnumMap<>(GgmlType.class);

    static {
        for (TypeKernel k : new TypeKernel[] {
                new F32Kernel(), new F16Kernel(), new Bf16Kernel(),
                new Q8_0Kernel(), new Q4_0Kernel(), new Q4_1Kernel(), new Q5_0Kernel(), new Q5_1Kernel(),
                new Q2_KKernel(), new Q3_KKernel(), new Q4_KKernel(), new Q5_KKernel(), new Q6_KKernel()}) {
            KERNELS.put(k.type(), k);
        }
    }

    private KernelTable() {
    }

    /** The kernels for a type, or null when Chorus cannot compute with it. */
    static TypeKernel forType(GgmlType type) {
        return KERNELS.get(type);
    }

    static boolean supports(GgmlType type) {
        return KERNELS.containsKey(type);
    }
}
