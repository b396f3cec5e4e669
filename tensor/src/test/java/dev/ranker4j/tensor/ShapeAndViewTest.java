package dev.ranker4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeAndViewTest {
    private final Tensor x = Tensor.arange(24, DType.F32).view(2, 3, 4); // x[i, j, k] = 12i + 4j + k

    private static double valueAt(int i, int j, int k) {
        return 12 * i + 4 * j + k;
    }

    @Test
    void broadcastFollowsNumPyRules() {
        assertArrayEquals(new int[]{2, 3, 4}, Shape.broadcast("t", new int[]{3, 1}, new int[]{2, 1, 4}));
        assertArrayEquals(new int[]{5}, Shape.broadcast("t", new int[]{}, new int[]{5}));
        assertArrayEquals(new int[]{0, 3}, Shape.broadcast("t", new int[]{1, 3}, new int[]{0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("add", new int[]{2, 3}, new int[]{4, 3}));
        assertEquals("add: shapes [2, 3] and [4, 3] cannot be broadcast: axis -2 has sizes 2 and 4", e.getMessage());
    }

    @Test
    void viewsShareStorageAndAddressTheRightElements() {
        Tensor permuted = x.permute(2, 0, 1);
        assertSame(x.storage(), permuted.storage());
        assertElements(permuted, new int[]{4, 2, 3}, ix -> valueAt(ix[1], ix[2], ix[0]), 0, "permute");
        assertElements(x.transpose(0, -1), new int[]{4, 3, 2}, ix -> valueAt(ix[2], ix[1], ix[0]), 0, "transpose");
        assertElements(x.narrow(1, 1, 2), new int[]{2, 2, 4}, ix -> valueAt(ix[0], ix[1] + 1, ix[2]), 0, "narrow");
        assertElements(x.slice(2, 1, 4, 2), new int[]{2, 3, 2}, ix -> valueAt(ix[0], ix[1], 1 + 2 * ix[2]), 0, "slice step 2");
        assertElements(x.select(1, 2), new int[]{2, 4}, ix -> valueAt(ix[0], 2, ix[1]), 0, "select");
        assertElements(x.unsqueeze(1), new int[]{2, 1, 3, 4}, ix -> valueAt(ix[0], ix[2], ix[3]), 0, "unsqueeze");
        assertElements(x.unsqueeze(-1).squeeze(), new int[]{2, 3, 4}, ix -> valueAt(ix[0], ix[1], ix[2]), 0, "squeeze");
        Tensor column = x.select(2, 0).unsqueeze(-1); // [2, 3, 1]
        assertElements(column.expand(-1, -1, 5), new int[]{2, 3, 5}, ix -> valueAt(ix[0], ix[1], 0), 0, "expand");
        assertElements(x.select(0, 1).broadcastTo(2, 3, 4), new int[]{2, 3, 4}, ix -> valueAt(1, ix[1], ix[2]), 0, "broadcastTo");
        for (Tensor view : new Tensor[]{x.narrow(1, 1, 2), x.select(1, 2), x.unsqueeze(0), x.expand(5, 2, 3, 4)}) {
            assertSame(x.storage(), view.storage());
        }
    }

    @Test
    void writesThroughAViewAreSeenByTheOriginal() {
        Tensor copy = x.copy();
        copy.narrow(2, 1, 2).select(0, 1).fill(-1);
        assertEquals(-1, copy.get(1, 2, 2));
        assertEquals(valueAt(1, 2, 3), copy.get(1, 2, 3));
        assertEquals(valueAt(0, 2, 2), copy.get(0, 2, 2));
    }

    @Test
    void viewSucceedsWhereStridesAllowAndReshapeCopiesOtherwise() {
        Tensor t = x.transpose(0, 1);                  // [3, 2, 4], the last axis still contiguous
        Tensor merged = t.view(3, 2, 2, 2);            // splitting the contiguous last axis is a view
        assertSame(x.storage(), merged.storage());
        assertEquals(valueAt(1, 2, 3), merged.get(2, 1, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(6, 4));
        assertTrue(e.getMessage().startsWith("view: shape [3, 2, 4] with strides [4, 12, 1] cannot be viewed as [6, 4]"), e.getMessage());
        Tensor reshaped = t.reshape(6, 4);
        assertNotSame(x.storage(), reshaped.storage());
        assertElements(reshaped, new int[]{6, 4}, ix -> valueAt(ix[0] % 2, ix[0] / 2, ix[1]), 0, "reshape");
        assertArrayEquals(new int[]{4, 6}, x.reshape(4, -1).shape());
        assertEquals(24, x.flatten().size(0));
        assertThrows(IllegalArgumentException.class, () -> x.view(5, -1));
    }

    @Test
    void viewStridesMatchTheChunkRule() {
        // A [4, 6] matrix narrowed to columns 0..2: rows are not adjacent, so only row-preserving views exist.
        Tensor block = Tensor.arange(24, DType.F64).view(4, 6).narrow(1, 0, 3);
        assertArrayEquals(new int[]{12, 6, 1}, block.view(2, 2, 3).strides());
        assertArrayEquals(new int[]{6, 1, 1}, block.view(4, 3, 1).strides());
        assertThrows(IllegalArgumentException.class, () -> block.view(12));
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        assertSame(x, x.contiguous());
        assertTrue(x.narrow(0, 1, 1).isContiguous());
        Tensor t = x.transpose(1, 2);
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertElements(c, new int[]{2, 4, 3}, ix -> valueAt(ix[0], ix[2], ix[1]), 0, "contiguous");
        Tensor ids = Tensor.arange(6, DType.I64).view(2, 3).transpose(0, 1).contiguous();
        assertArrayEquals(new long[]{0, 3, 1, 4, 2, 5}, ids.toLongArray());
    }

    @Test
    void factoriesAndElementAccess() {
        assertArrayEquals(new double[]{7, 7, 7}, Tensor.full(7, DType.F64, 3).toDoubleArray());
        assertArrayEquals(new float[]{1, 1}, Tensor.ones(DType.F32, 2).toFloatArray());
        assertArrayEquals(new double[]{0.5, 1.0, 1.5}, Tensor.arange(0.5, 2, 0.5, DType.F64).toDoubleArray());
        assertEquals(3.5, Tensor.scalar(3.5, DType.F32).item());
        assertEquals(0, Tensor.scalar(1, DType.F32).rank());
        long big = (1L << 60) + 1;
        assertEquals(big, Tensor.fromArray(new long[]{big}, 1).getLong(0));
        float[] data = {1, 2, 3, 4};
        Tensor wrapped = Tensor.wrap(data, 2, 2);
        data[3] = 9;
        assertEquals(9, wrapped.get(1, 1));
        Tensor copied = Tensor.fromArray(data, 2, 2);
        data[0] = -5;
        assertEquals(1, copied.get(0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> x.get(2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> x.get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3));
    }

    @Test
    void viewErrorsNameTheOpAndShape() {
        assertEquals("permute: axis 3 is out of range for rank 3",
                assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1, 3)).getMessage());
        assertEquals("squeeze: axis 0 of shape [2, 3, 4] has size 2, not 1",
                assertThrows(IllegalArgumentException.class, () -> x.squeeze(0)).getMessage());
        assertEquals("expand: cannot broadcast shape [2, 3, 4] to [2, 5, 4]: axis 1 has size 3, target 5",
                assertThrows(IllegalArgumentException.class, () -> x.expand(2, 5, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.slice(1, 0, 4, 1));
    }

    @Test
    void randomPermutationsOfRandomShapesMatchIndexArithmetic() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int[] shape = TestSupport.randomShape(random, 1 + random.nextInt(4), 4);
            Tensor t = TestSupport.random(DType.F64, random, shape);
            int[] order = new int[shape.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1), tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            Tensor p = t.permute(order).contiguous();
            TestSupport.forEachIndex(p.shape(), ix -> {
                int[] source = new int[ix.length];
                for (int i = 0; i < ix.length; i++) source[order[i]] = ix[i];
                assertEquals(t.get(source), p.get(ix));
            });
        }
    }
}
