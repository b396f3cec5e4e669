package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A product with a single row of A, c = alpha · a · op(B) + beta · c (m = 1, B not transposed): the bias gradients,
 * db = 1ᵀ G, which autograd computes as a GEMM with a row of ones over 4096 tokens. Through the tiled GEMM such a
 * product packed all of B (k × n: 25 MB for the FFN's bias) into slivers to use one row of each 8-row tile: 3 % of a
 * training step (bench train-step --profile). Here B is streamed once, row by row, into one vector accumulator per
 * column, which stays in L1: one FMA per element of B.
 *
 * <p>The arithmetic is the tiled GEMM's, element for element: each c[j] is one FMA chain over each depth panel of
 * {@link GemmLoops} (the same panel cuts, from k alone), starting at zero, multiplied by alpha, then merged into c
 * exactly as {@code GemmF32.writeBack} does (beta · c fused for the first panel, c + acc for the others, the bias
 * added once). So a row product gives the same bits as the same row inside a larger product, and does not depend on
 * the thread count (columns are split in whole chunks, each written by one thread).
 */
final class GemvF32 {
    private GemvF32() {}

    private static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;
    private static final int LANES = VectorShape.LANES;
    /** Columns per task: 256 accumulators (1 KiB) stay in L1 while the chunk's stripe of B streams past. */
    static final int CHUNK = 256;

    /**
     * c[cOff + j] for j in [from, to): a[aOff + p·aStep] is element p of the row (aStep = lda when A is transposed),
     * B[p, j] = b[bOff + p·ldb + j]; {@code acc} holds at least to − from floats.
     */
    static void columns(int from, int to, int k, float alpha, float[] a, int aOff, int aStep, float[] b, int bOff,
                        int ldb, float beta, float[] c, int cOff, float[] bias, int biasOff, float[] acc) {
        int width = to - from, bound = SPECIES.loopBound(width);
        int panels = GemmLoops.ceilDiv(k, GemmLoops.KC), depthStep = GemmLoops.ceilDiv(k, panels);
        for (int pc = 0; pc < k; pc += depthStep) {
            int depthEnd = Math.min(k, pc + depthStep);
            java.util.Arrays.fill(acc, 0, width, 0f);
            for (int p = pc; p < depthEnd; p++) {
                float ap = a[aOff + p * aStep];
                FloatVector av = FloatVector.broadcast(SPECIES, ap);
                int row = bOff + p * ldb + from;
                int j = 0;
                for (; j < bound; j += LANES) {
                    av.fma(FloatVector.fromArray(SPECIES, b, row + j), FloatVector.fromArray(SPECIES, acc, j))
                            .intoArray(acc, j);
                }
                for (; j < width; j++) acc[j] = Math.fma(ap, b[row + j], acc[j]);
            }
            boolean first = pc == 0;
            float scaleC = first ? beta : 1f;
            for (int j = 0; j < width; j++) {
                float product = acc[j] * alpha;
                int at = cOff + from + j;
                float out = scaleC == 0f ? product : Math.fma(c[at], scaleC, product);
                c[at] = first && bias != null ? out + bias[biasOff + from + j] : out;
            }
        }
    }
}
