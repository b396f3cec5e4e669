package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The vector shape this JVM runs the kernels with, read once at class initialisation: the preferred float species
 * (its bits and lanes), the number of vector registers the register tiles may assume, and the ISA flags behind both.
 * The GEMM and attention tiles ({@link MicroTile#forGemm}, {@link MicroTile#forAttention}) are chosen from it, and
 * every benchmark line names it ({@link #json}), because a figure means nothing without the shape it ran with.
 *
 * <p>Registers: x86-64 has 16 vector registers (xmm/ymm 0–15) unless AVX-512 is on (HotSpot's {@code UseAVX} ≥ 3),
 * which adds 16 more at every width (EVEX encodes xmm/ymm 16–31 too); AArch64 NEON and SVE have 32. The JVM can
 * emulate the narrower machines on a wide one, which is how each tile is tested and tuned here:
 * <pre>
 *   (default on an AVX-512 host)                 512 bits, 16 lanes, 32 registers
 *   -XX:UseAVX=2                                 256 bits,  8 lanes, 16 registers   (AVX2: Zen 2/3, older Intel)
 *   -XX:MaxVectorSize=16                         128 bits,  4 lanes, 32 registers   (NEON-like: Graviton, Apple)
 *   -XX:UseAVX=2 -XX:MaxVectorSize=16            128 bits,  4 lanes, 16 registers
 * </pre>
 * {@code -Dranker4j.vector.registers=16|32} overrides the register count (for tuning; the tile must still fit).
 */
public final class VectorShape {
    private VectorShape() {}

    /** The float species every kernel loop uses. */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Bits of one vector (128, 256 or 512). */
    public static final int BITS = SPECIES.vectorBitSize();
    /** Floats per vector. */
    public static final int LANES = SPECIES.length();
    /** HotSpot's {@code UseAVX} (0–3), or -1 when not on x86 or not readable. */
    public static final int USE_AVX = intVmOption("UseAVX");
    /** HotSpot's {@code MaxVectorSize} in bytes, or -1 when not readable. */
    public static final int MAX_VECTOR_SIZE = intVmOption("MaxVectorSize");
    /** {@code os.arch}: amd64, aarch64, ... */
    public static final String ARCH = System.getProperty("os.arch", "unknown");
    /** Vector registers the register tiles may fill (16 or 32). */
    public static final int REGISTERS = registers();

    private static int registers() {
        String forced = System.getProperty("ranker4j.vector.registers");
        if (forced != null) {
            int value = Integer.parseInt(forced.trim());
            if (value != 16 && value != 32) {
                throw new IllegalArgumentException("ranker4j.vector.registers must be 16 or 32, got " + forced);
            }
            return value;
        }
        if (ARCH.equals("aarch64") || ARCH.equals("arm64")) return 32;
        if (USE_AVX >= 3) return 32;
        if (USE_AVX >= 0) return 16;
        return BITS >= 512 ? 32 : 16; // UseAVX unreadable: only AVX-512 gives 512-bit vectors on x86
    }

    /** The instruction set the shape corresponds to, for reports: avx512, avx2, avx/sse (128-bit on x86), neon. */
    public static String isa() {
        if (ARCH.equals("aarch64") || ARCH.equals("arm64")) return BITS > 128 ? "sve" : "neon";
        if (USE_AVX >= 3) return BITS == 512 ? "avx512" : "avx512vl-" + BITS;
        if (USE_AVX == 2) return BITS == 256 ? "avx2" : "avx2-" + BITS;
        return USE_AVX == 1 ? "avx-" + BITS : "sse-" + BITS;
    }

    /**
     * The fields a benchmark line carries, without braces: e.g. {@code "vector_bits":256,"lanes":8,"registers":16,
     * "isa":"avx2","use_avx":2,"max_vector_size":32,"arch":"amd64","gemm_tile":"6x2","attention_tile":"6x2"}.
     */
    public static String json() {
        return String.format(Locale.ROOT, "\"vector_bits\":%d,\"lanes\":%d,\"registers\":%d,\"isa\":\"%s\","
                        + "\"use_avx\":%d,\"max_vector_size\":%d,\"arch\":\"%s\",\"gemm_tile\":\"%s\",\"attention_tile\":\"%s\"",
                BITS, LANES, REGISTERS, isa(), USE_AVX, MAX_VECTOR_SIZE, ARCH, MicroTile.forGemm().name(),
                MicroTile.forAttention().name());
    }

    private static int intVmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) { // not HotSpot, no such option (AArch64 has no UseAVX)
            return -1;
        }
    }
}
