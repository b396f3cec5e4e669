package dev.ranker4j.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReductionTest {

    /** sumOfSquares is the running double sum of the row-major copy's squares, bit for bit, for any layout. */
    @Property(tries = 60)
    void sumOfSquaresIsTheSequentialSumOfTheCopy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rank,
                                                 @ForAll boolean f64, @ForAll boolean strided, @ForAll boolean narrowed) {
        Random random = new Random(seed);
        int[] shape = TestSupport.randomShape(random, rank, 5);
        Tensor x = TestSupport.random(f64 ? DType.F64 : DType.F32, random, shape);
        if (strided && rank > 1) x = x.transpose(0, rank - 1).contiguous().transpose(0, rank - 1);
        if (narrowed && shape[0] > 1) x = x.narrow(0, 1, shape[0] - 1); // a view that starts at an offset
        double start = random.nextDouble();
        double expected = start;
        for (double v : x.toDoubleArray()) expected += v * v;
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(x.sumOfSquares(start)), x.toString());
    }

    @Property(tries = 60)
    void reductionsOverRandomAxisSetsMatchLoops(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rank,
                                                @ForAll boolean keepDim, @ForAll boolean f64, @ForAll boolean strided) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        int[] shape = TestSupport.randomShape(random, rank, 4);
        Tensor x = TestSupport.random(dtype, random, shape);
        if (strided && rank > 1) x = x.transpose(0, rank - 1).contiguous().transpose(0, rank - 1); // same values, other strides
        List<Integer> axisList = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) if (random.nextBoolean()) axisList.add(random.nextBoolean() ? axis : axis - rank);
        if (axisList.isEmpty()) axisList.add(random.nextInt(rank));
        int[] axes = axisList.stream().mapToInt(Integer::intValue).toArray();
        boolean[] reduced = Shape.axisSet("test", axes, rank);

        int[] outShape = keptShape(shape, reduced, keepDim);
        double tol = TestSupport.tolerance(dtype) * 4;
        Tensor input = x;
        assertElements(x.sum(axes, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.SUM), tol, "sum");
        assertElements(x.mean(axes, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.MEAN), tol, "mean");
        assertElements(x.max(axes, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.MAX), tol, "max");
        assertElements(x.min(axes, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.MIN), tol, "min");
        assertElements(x.logSumExp(axes, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.LOG_SUM_EXP), tol, "logSumExp");
        assertElements(x.var(axes, 0, keepDim), outShape, ix -> fold(input, reduced, ix, keepDim, Stat.VAR), tol, "var");
    }

    private enum Stat { SUM, MEAN, MAX, MIN, LOG_SUM_EXP, VAR }

    /** The statistic over every input element whose kept coordinates equal the output index. */
    private static double fold(Tensor x, boolean[] reduced, int[] outIndex, boolean keepDim, Stat stat) {
        List<Double> values = new ArrayList<>();
        TestSupport.forEachIndex(x.shape(), ix -> {
            int k = 0;
            for (int axis = 0; axis < ix.length; axis++) {
                if (reduced[axis]) {
                    if (keepDim) k++;
                    continue;
                }
                if (ix[axis] != outIndex[k++]) return;
            }
            values.add(x.get(ix));
        });
        double sum = 0, max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            sum += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        double mean = sum / values.size();
        return switch (stat) {
            case SUM -> sum;
            case MEAN -> mean;
            case MAX -> max;
            case MIN -> min;
            case LOG_SUM_EXP -> {
                double s = 0;
                for (double v : values) s += Math.exp(v);
                yield Math.log(s);
            }
            case VAR -> {
                double s = 0;
                for (double v : values) s += (v - mean) * (v - mean);
                yield s / values.size();
            }
        };
    }

    private static int[] keptShape(int[] shape, boolean[] reduced, boolean keepDim) {
        List<Integer> out = new ArrayList<>();
        for (int axis = 0; axis < shape.length; axis++) {
            if (!reduced[axis]) out.add(shape[axis]);
            else if (keepDim) out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sumOverLeadingAxesOfAContiguousTensorIsTheColumnSum() {
        Tensor x = Tensor.arange(12, DType.F32).view(3, 4); // the GEMM path
        assertArrayEquals(new float[]{12, 15, 18, 21}, x.sum(0, false).toFloatArray());
        assertArrayEquals(new float[]{4, 5, 6, 7}, x.mean(new int[]{0}, true).toFloatArray());
        assertArrayEquals(new int[]{1, 4}, x.mean(new int[]{0}, true).shape());
        assertEquals(66, x.sum().item());
        assertEquals(0, x.sum().rank());
    }

    @Test
    void unbiasedVarianceDividesByNMinusOne() {
        Tensor x = Tensor.fromArray(new double[]{1, 2, 3, 4}, 4);
        assertEquals(1.25, x.var(new int[]{0}, 0, false).item(), 1e-15);
        assertEquals(5.0 / 3, x.var(new int[]{0}, 1, false).item(), 1e-15);
    }

    @Test
    void maxWithIndexReturnsTheFirstMaximum() {
        Tensor x = Tensor.fromArray(new float[]{1, 5, 5, 2, 0, 7, 3, 7}, 2, 4);
        MaxResult rows = x.maxWithIndex(1, false);
        assertArrayEquals(new float[]{5, 7}, rows.values().toFloatArray());
        assertArrayEquals(new long[]{1, 1}, rows.indices().toLongArray());
        assertEquals(DType.I64, rows.indices().dtype());
        MaxResult columns = x.maxWithIndex(0, true);
        assertArrayEquals(new int[]{1, 4}, columns.indices().shape());
        assertArrayEquals(new long[]{0, 1, 0, 1}, columns.indices().toLongArray());
        assertArrayEquals(new long[]{0, 1, 0, 1}, x.argmax(-2, false).toLongArray());
    }

    @Test
    void badAxesAreRejected() {
        Tensor x = Tensor.ones(DType.F32, 2, 3);
        assertEquals("sum: axis 2 is out of range for rank 2",
                assertThrows(IllegalArgumentException.class, () -> x.sum(2, false)).getMessage());
        assertEquals("sum: axis -1 is repeated in [1, -1]",
                assertThrows(IllegalArgumentException.class, () -> x.sum(new int[]{1, -1}, false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 0, 3).max(new int[]{0}, false));
    }
}
