package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.CompositeKernels;
import dev.ranker4j.kernels.Matrix;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fused CPU attention with dropout drops exactly what the composed path drops: {@link CompositeKernels} run on
 * the same CPU backend (GEMM, softmax, the mask from {@code Backend.dropoutMask} at each head's positions, a multiply,
 * GEMM) gives the same bits, forward and backward, on BERT-shaped heads and on odd ones. And the mask is the one a
 * single {@code dropoutMask} call over all [batch, heads, seqQ, seqK] probabilities draws.
 */
class AttentionDropoutTest {
    private static final CpuBackend CPU = new CpuBackend(2, 64);

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void fusedEqualsComposedBitForBit() {
        Random random = new Random(3);
        int[][] shapes = {{2, 3, 16, 16, 32}, {2, 2, 7, 11, 5}, {1, 4, 128, 128, 32}, {3, 1, 9, 9, 40}};
        for (int[] s : shapes) {
            AttentionShape shape = new AttentionShape(s[0], s[1], s[2], s[3], s[4]);
            int width = shape.heads() * shape.d(), rowsQ = shape.batch() * shape.seqQ(), rowsK = shape.batch() * shape.seqK();
            float[] q = gaussians(random, rowsQ * width), k = gaussians(random, rowsK * width), v = gaussians(random, rowsK * width);
            float[] g = gaussians(random, rowsQ * width), mask = new float[shape.batch() * shape.seqK()];
            for (int i = 0; i < mask.length; i++) mask[i] = i % shape.seqK() != 0 && random.nextInt(4) == 0 ? -1e9f : 0f;
            AttentionInputs in = new AttentionInputs(Matrix.of(q, 0, width), Matrix.of(k, 0, width), Matrix.of(v, 0, width),
                    ArrayRef.of(mask));
            AttentionDropout dropout = new AttentionDropout(random.nextLong(), random.nextInt(10_000), 0.1);
            float[] fused = new float[rowsQ * width], composed = new float[rowsQ * width];
            CPU.attention(shape, 0.3, in, dropout, Matrix.of(fused, 0, width));
            CompositeKernels.attention(CPU, shape, 0.3, in, dropout, Matrix.of(composed, 0, width));
            assertArrayEquals(composed, fused, "forward " + shape);

            float[][] fusedGrads = {new float[rowsQ * width], new float[rowsK * width], new float[rowsK * width]};
            float[][] composedGrads = {new float[rowsQ * width], new float[rowsK * width], new float[rowsK * width]};
            CPU.attentionBackward(shape, 0.3, in, dropout, Matrix.of(g, 0, width), Matrix.of(fusedGrads[0], 0, width),
                    Matrix.of(fusedGrads[1], 0, width), Matrix.of(fusedGrads[2], 0, width));
            CompositeKernels.attentionBackward(CPU, shape, 0.3, in, dropout, Matrix.of(g, 0, width),
                    Matrix.of(composedGrads[0], 0, width), Matrix.of(composedGrads[1], 0, width),
                    Matrix.of(composedGrads[2], 0, width));
            for (int i = 0; i < 3; i++) assertArrayEquals(composedGrads[i], fusedGrads[i], "gradient " + i + " " + shape);
        }
    }

    /** Head (b, h)'s mask is elements [(b·heads + h)·seqQ·seqK, …) of one mask over all probabilities. */
    @Test
    void eachHeadDrawsItsSliceOfOneWholeMask() {
        AttentionShape shape = new AttentionShape(2, 3, 5, 4, 8);
        AttentionDropout dropout = new AttentionDropout(99, 1234, 0.5);
        int n = (int) AttentionDropout.positions(shape);
        float[] whole = new float[n];
        CPU.dropoutMask(dropout.seed(), dropout.firstPosition(), dropout.p(), ArrayRef.of(whole), n);
        // Attention with V = one-hot rows and q = k = 0 (uniform P = 1/seqK): out[i, j] = M[i, j] / seqK
        int width = shape.heads() * shape.d(), seqK = shape.seqK();
        float[] zeros = new float[shape.batch() * shape.seqQ() * width];
        float[] v = new float[shape.batch() * seqK * width];
        for (int b = 0; b < shape.batch(); b++) {
            for (int t = 0; t < seqK; t++) {
                for (int h = 0; h < shape.heads(); h++) v[(b * seqK + t) * width + h * shape.d() + t] = 1f;
            }
        }
        float[] out = new float[shape.batch() * shape.seqQ() * width];
        CPU.attention(shape, 1, new AttentionInputs(Matrix.of(zeros, 0, width), Matrix.of(zeros, 0, width),
                Matrix.of(v, 0, width), null), dropout, Matrix.of(out, 0, width));
        int dropped = 0;
        for (int b = 0; b < shape.batch(); b++) {
            for (int h = 0; h < shape.heads(); h++) {
                for (int i = 0; i < shape.seqQ(); i++) {
                    for (int t = 0; t < seqK; t++) {
                        float expected = whole[(int) (dropout.headPosition(shape, b, h) - dropout.firstPosition()) + i * seqK + t];
                        float actual = out[(b * shape.seqQ() + i) * width + h * shape.d() + t] * seqK;
                        assertEquals(expected, actual, 1e-6f, "b" + b + " h" + h + " (" + i + ", " + t + ")");
                        if (expected == 0) dropped++;
                    }
                }
            }
        }
        assertTrue(dropped > n / 4 && dropped < 3 * n / 4, dropped + " of " + n + " dropped at p = 0.5");
    }

    private static float[] gaussians(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
