package dev.ranker4j.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import dev.ranker4j.kernels.UnaryOp;

import java.util.List;
import java.util.Random;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MatMulTest {

    /** C[..., i, j] = Σ_p A[..., i, p] B[..., p, j] with broadcast batch indices, by three loops and get(). */
    private static double naive(Tensor a, Tensor b, int[] outIndex) {
        int rank = outIndex.length, k = a.size(-1);
        int[] ai = broadcastIndex(outIndex, a.shape()), bi = broadcastIndex(outIndex, b.shape());
        double sum = 0;
        for (int p = 0; p < k; p++) {
            ai[ai.length - 2] = outIndex[rank - 2];
            ai[ai.length - 1] = p;
            bi[bi.length - 2] = p;
            bi[bi.length - 1] = outIndex[rank - 1];
            sum += a.get(ai) * b.get(bi);
        }
        return sum;
    }

    private static int[] broadcastIndex(int[] outIndex, int[] shape) {
        int[] index = new int[shape.length];
        int lead = outIndex.length - shape.length;
        for (int i = 0; i < shape.length - 2; i++) index[i] = shape[i] == 1 ? 0 : outIndex[lead + i];
        return index;
    }

    /** A tensor of {@code shape} with the given values whose last two axes are stored transposed (a view). */
    private static Tensor transposedStorage(Tensor contiguous) {
        return contiguous.transpose(-1, -2).contiguous().transpose(-1, -2);
    }

    @Property(tries = 50)
    void matmulOfViewsEqualsMatmulOfCopiesAndTheLoop(@ForAll long seed, @ForAll boolean f64) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        int m = 1 + random.nextInt(6), k = 1 + random.nextInt(6), n = 1 + random.nextInt(6);
        int batchRank = random.nextInt(3);
        int[] batch = TestSupport.randomShape(random, batchRank, 3);
        int[] aBatch = batch.clone(), bBatch = batch.clone();
        for (int i = 0; i < batchRank; i++) {
            if (random.nextInt(3) == 0) aBatch[i] = 1;
            else if (random.nextInt(3) == 0) bBatch[i] = 1;
        }
        if (batchRank > 0 && random.nextBoolean()) bBatch = java.util.Arrays.copyOfRange(bBatch, 1, batchRank);
        Tensor a = TestSupport.random(dtype, random, concat(aBatch, m, k));
        Tensor b = TestSupport.random(dtype, random, concat(bBatch, k, n));
        Tensor aView = random.nextBoolean() ? transposedStorage(a) : a;
        Tensor bView = switch (random.nextInt(3)) {
            case 0 -> transposedStorage(b);
            case 1 -> b.contiguous().slice(-1, 0, n, 1); // same, contiguous
            default -> stridedCopy(b);                    // neither stride is 1: the copy path
        };
        Tensor expected = a.matmul(b);
        Tensor actual = aView.matmul(bView);
        int[] outShape = expected.shape();
        assertArrayEquals(outShape, actual.shape());
        double tol = TestSupport.tolerance(dtype) * 4;
        assertElements(actual, outShape, ix -> expected.get(ix), tol, "views vs contiguous");
        assertElements(actual, outShape, ix -> naive(a, b, ix), tol, "matmul vs loop");
    }

    @Property(tries = 50)
    void linearEqualsMatmulByTheTransposedWeightPlusBias(@ForAll long seed, @ForAll boolean f64) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        int in = 1 + random.nextInt(6), out = 1 + random.nextInt(6);
        int[] lead = TestSupport.randomShape(random, random.nextInt(3), 3);
        Tensor x = TestSupport.random(dtype, random, concat(lead, 1, in)).squeeze(lead.length); // [..., in]
        Tensor weight = TestSupport.random(dtype, random, out, in);
        Tensor bias = random.nextBoolean() ? null : TestSupport.random(dtype, random, out);
        // Layouts the layers meet: a weight stored transposed, an x that is a column slice of a wider matrix.
        Tensor weightView = random.nextBoolean() ? transposedStorage(weight) : weight;
        Tensor xView = x.rank() == 2 && random.nextBoolean() ? widerColumns(x) : x;
        Tensor actual = xView.linear(weightView, bias);
        Tensor product = x.matmul(weight.transpose(0, 1));
        Tensor expected = bias == null ? product : product.add(bias);
        assertArrayEquals(expected.shape(), actual.shape());
        double tol = TestSupport.tolerance(dtype) * 4;
        assertElements(actual, expected.shape(), expected::get, tol, "linear vs matmul + bias");
    }

    /** The activation in the GEMM's epilogue gives exactly the bits of the linear layer and a separate pass. */
    @Property(tries = 50)
    void linearWithAnActivationEqualsLinearThenTheActivation(@ForAll long seed, @ForAll boolean f64) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        // Sizes from one element to a few tiles and a second depth panel (k > 384).
        int rows = 1 + random.nextInt(40), in = 1 + random.nextInt(random.nextBoolean() ? 8 : 500);
        int out = 1 + random.nextInt(random.nextBoolean() ? 8 : 100);
        Tensor x = TestSupport.random(dtype, random, rows, in), weight = TestSupport.random(dtype, random, out, in);
        Tensor bias = random.nextBoolean() ? null : TestSupport.random(dtype, random, out);
        UnaryOp activation = List.of(UnaryOp.GELU_ERF, UnaryOp.GELU_TANH, UnaryOp.RELU).get(random.nextInt(3));
        Tensor fused = x.linear(weight, bias, activation);
        Tensor separate = x.linear(weight, bias).applyInPlace(activation, 0);
        assertArrayEquals(separate.shape(), fused.shape());
        assertArrayEquals(separate.toDoubleArray(), fused.toDoubleArray(), 0, activation + " " + rows + "x" + in + "x" + out);
    }

    /** The same [rows, cols] values as the first columns of a [rows, cols + 2] matrix (row stride cols + 2). */
    private static Tensor widerColumns(Tensor x) {
        Tensor wide = Tensor.zeros(x.dtype(), x.size(0), x.size(1) + 2);
        Tensor view = wide.narrow(1, 0, x.size(1));
        view.copyFrom(x);
        return view;
    }

    @Test
    void linearNamesTheShapesItCannotCombine() {
        Tensor x = Tensor.ones(DType.F32, 2, 3), weight = Tensor.ones(DType.F32, 4, 5), bias = Tensor.ones(DType.F32, 4);
        assertEquals("linear: shapes x [2, 3], weight [4, 5], bias [4] are incompatible: weight must be [out, 3] and bias [out]",
                assertThrows(IllegalArgumentException.class, () -> x.linear(weight, bias)).getMessage());
    }

    /** Same values, stored with a gap between every element (strides 2·, 2) so no unit stride exists. */
    private static Tensor stridedCopy(Tensor x) {
        int[] wide = x.shape();
        wide[wide.length - 1] *= 2;
        Tensor spread = Tensor.zeros(x.dtype(), wide);
        Tensor view = spread.slice(-1, 0, wide[wide.length - 1], 2);
        view.copyFrom(x);
        return view;
    }

    private static int[] concat(int[] batch, int rows, int cols) {
        int[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = rows;
        shape[batch.length + 1] = cols;
        return shape;
    }

    @Test
    void attentionHeadsViewedOutOfTheHiddenStateNeedNoCopy() {
        // [B, S, H, D] → [B, H, S, D]: batch axes (B, H) do not collapse into one stride; the scores still match.
        Random random = new Random(3);
        int batch = 2, seq = 5, heads = 3, dim = 4;
        Tensor hidden = TestSupport.random(DType.F32, random, batch, seq, heads * dim);
        Tensor q = hidden.view(batch, seq, heads, dim).transpose(1, 2);
        Tensor scores = q.matmul(q.transpose(-1, -2));
        Tensor expected = q.contiguous().matmul(q.contiguous().transpose(-1, -2).contiguous());
        assertElements(scores, new int[]{batch, heads, seq, seq}, expected::get, 1e-6, "attention scores");
    }

    @Test
    void vectorsFollowPyTorchRules() {
        Tensor matrix = Tensor.arange(6, DType.F64).view(2, 3);
        Tensor vector = Tensor.fromArray(new double[]{1, 1, 1}, 3);
        assertArrayEquals(new double[]{3, 12}, matrix.matmul(vector).toDoubleArray());
        assertArrayEquals(new double[]{3, 5, 7}, Tensor.fromArray(new double[]{1, 1}, 2).matmul(matrix).toDoubleArray());
        assertEquals(5, vector.matmul(Tensor.fromArray(new double[]{1, 2, 2}, 3)).item());
        assertEquals(0, vector.matmul(vector).rank());
        assertArrayEquals(new double[]{0, 0, 0, 0}, Tensor.zeros(DType.F64, 2, 0).matmul(Tensor.zeros(DType.F64, 0, 2)).toDoubleArray());
    }

    @Test
    void incompatibleShapesNameBothShapes() {
        Tensor a = Tensor.ones(DType.F32, 2, 3), b = Tensor.ones(DType.F32, 4, 5);
        assertEquals("matmul: shapes [2, 3] and [4, 5] are incompatible: inner dims 3 != 4",
                assertThrows(IllegalArgumentException.class, () -> a.matmul(b)).getMessage());
        Tensor c = Tensor.ones(DType.F32, 2, 2, 3), d = Tensor.ones(DType.F32, 3, 3, 4);
        assertEquals("matmul: shapes [2, 2, 3] and [3, 3, 4] are incompatible: batch dims [2] and [3] do not broadcast",
                assertThrows(IllegalArgumentException.class, () -> c.matmul(d)).getMessage());
    }

    @Test
    void resultDtypeFollowsTheOperands() {
        Tensor a = Tensor.ones(DType.F64, 2, 2);
        assertSame(DType.F64, a.matmul(a).dtype());
    }
}
