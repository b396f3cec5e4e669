package dev.ranker4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InPlaceTest {

    @Test
    void addInPlaceAccumulatesScaledAndBroadcastValues() {
        Tensor gradient = Tensor.ones(DType.F32, 2, 3);
        assertSame(gradient, gradient.addInPlace(Tensor.arange(6, DType.F32).view(2, 3), 2));
        assertArrayEquals(new float[]{1, 3, 5, 7, 9, 11}, gradient.toFloatArray());
        gradient.addInPlace(Tensor.fromArray(new float[]{1, 0, -1}, 3), 1);
        assertArrayEquals(new float[]{2, 3, 4, 8, 9, 10}, gradient.toFloatArray());
    }

    @Test
    void inPlaceOpsWriteThroughStridedViews() {
        Tensor block = Tensor.zeros(DType.F64, 3, 4);
        Tensor column = block.transpose(0, 1).select(0, 2); // elements (0,2), (1,2), (2,2)
        column.addInPlace(Tensor.fromArray(new double[]{1, 2, 3}, 3), 1).mulInPlace(10);
        assertArrayEquals(new double[]{0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0}, block.toDoubleArray());
        block.narrow(1, 0, 2).fill(-1);
        assertEquals(-1, block.get(2, 1));
        assertEquals(30, block.get(2, 2));
        block.narrow(1, 3, 1).copyFrom(Tensor.fromArray(new double[]{7}, 1));
        assertArrayEquals(new double[]{7, 7, 7}, block.select(1, 3).toDoubleArray());
    }

    @Test
    void applyInPlaceOverwritesContiguousAndStridedViews() {
        Tensor x = Tensor.fromArray(new double[]{-2, -1, 0, 1, 2, 3}, 2, 3);
        Tensor expected = x.geluErf();
        assertTrue(x.applyInPlace(dev.ranker4j.kernels.UnaryOp.GELU_ERF, 0) == x);
        assertArrayEquals(expected.toDoubleArray(), x.toDoubleArray());
        Tensor block = Tensor.fromArray(new float[]{-1, 2, -3, 4}, 2, 2);
        block.select(1, 0).applyInPlace(dev.ranker4j.kernels.UnaryOp.RELU, 0); // a strided column
        assertArrayEquals(new double[]{0, 2, 0, 4}, block.toDoubleArray());
    }

    @Test
    void addingATensorToItselfDoublesIt() {
        Tensor x = Tensor.arange(4, DType.F32);
        x.addInPlace(x, 1);
        assertArrayEquals(new float[]{0, 2, 4, 6}, x.toFloatArray());
        Tensor y = Tensor.arange(4, DType.F32).view(2, 2);
        y.addInPlace(y.transpose(0, 1), 1); // overlapping, differently ordered: staged, not corrupted
        assertArrayEquals(new float[]{0, 3, 3, 6}, y.toFloatArray());
    }

    @Test
    void inPlaceShapeAndDtypeErrorsAreClear() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        assertEquals("addInPlace: cannot broadcast shape [3, 3] to [2, 3]: axis 0 has size 3, target 2",
                assertThrows(IllegalArgumentException.class, () -> x.addInPlace(Tensor.ones(DType.F32, 3, 3), 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.copyFrom(Tensor.ones(DType.F64, 2, 3)));
    }
}
