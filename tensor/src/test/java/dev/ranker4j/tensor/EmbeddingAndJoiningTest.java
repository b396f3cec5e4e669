package dev.ranker4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddingAndJoiningTest {
    private final Tensor table = Tensor.arange(12, DType.F32).view(4, 3); // row v = [3v, 3v+1, 3v+2]

    @Test
    void embeddingGathersRowsForIdsOfAnyShape() {
        Tensor ids = Tensor.fromArray(new long[]{3, 0, 3, 1}, 2, 2);
        Tensor out = table.embedding(ids);
        assertArrayEquals(new int[]{2, 2, 3}, out.shape());
        assertArrayEquals(new float[]{9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5}, out.toFloatArray());
        Tensor intIds = Tensor.fromArray(new int[]{2}, 1);
        assertArrayEquals(new float[]{6, 7, 8}, table.to(DType.F64).embedding(intIds).toFloatArray());
        Tensor viewTable = Tensor.arange(15, DType.F32).view(5, 3).narrow(0, 1, 4); // offset 3: copied for the kernel
        assertArrayEquals(new float[]{3, 4, 5}, viewTable.embedding(Tensor.fromArray(new long[]{0}, 1)).toFloatArray());
    }

    @Test
    void outOfRangeIdsNameTheIdAndTheVocabulary() {
        Tensor ids = Tensor.fromArray(new long[]{0, 7}, 2);
        assertEquals("embedding: id 7 (at flat position 1 of ids [2]) is outside the vocabulary of size 4",
                assertThrows(IndexOutOfBoundsException.class, () -> table.embedding(ids)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> table.embedding(Tensor.fromArray(new long[]{-1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> table.embedding(Tensor.ones(DType.F32, 2)));
    }

    @Test
    void scatterAddIsTheBackwardOfGatherAndAccumulatesRepeatedIds() {
        Tensor ids = Tensor.fromArray(new long[]{1, 3, 1}, 3);
        Tensor rows = Tensor.fromArray(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        Tensor gradient = Gradients.embedding(ids, rows, 4);
        assertArrayEquals(new double[]{0, 0, 0, 8, 10, 12, 0, 0, 0, 4, 5, 6}, gradient.toDoubleArray());
        Gradients.embeddingInPlace(gradient, ids.narrow(0, 0, 1), rows.narrow(0, 0, 1));
        assertArrayEquals(new double[]{9, 12, 15}, gradient.select(0, 1).toDoubleArray());
        // Into a view with an offset (a slice of one big parameter block): same result.
        Tensor block = Tensor.zeros(DType.F64, 5, 3);
        Gradients.embeddingInPlace(block.narrow(0, 1, 4), ids, rows);
        assertArrayEquals(new double[]{8, 10, 12}, block.select(0, 2).toDoubleArray());
        assertEquals("scatterAddRowsInPlace: rows have shape [3, 2], expected [3, 3] for ids [3] and table [4, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> Gradients.embeddingInPlace(gradient, ids, Tensor.ones(DType.F64, 3, 2))).getMessage());
    }

    @Test
    void concatAndStackJoinAlongAnyAxis() {
        Tensor a = Tensor.arange(6, DType.F32).view(2, 3), b = Tensor.full(-1, DType.F32, 2, 1);
        Tensor joined = Tensor.concat(1, List.of(a, b, a.narrow(1, 0, 1)));
        assertArrayEquals(new int[]{2, 5}, joined.shape());
        assertArrayEquals(new float[]{0, 1, 2, -1, 0, 3, 4, 5, -1, 3}, joined.toFloatArray());
        Tensor rows = Tensor.concat(0, List.of(a, a.transpose(0, 1).contiguous().transpose(0, 1)));
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}, rows.toFloatArray());
        Tensor stacked = Tensor.stack(-1, List.of(a, a.mul(10)));
        assertArrayEquals(new int[]{2, 3, 2}, stacked.shape());
        assertEquals(50, stacked.get(1, 2, 1));
        Tensor ids = Tensor.concat(0, List.of(Tensor.arange(2, DType.I64), Tensor.arange(1, DType.I64)));
        assertArrayEquals(new long[]{0, 1, 0}, ids.toLongArray());
        assertEquals("concat: along axis 0, F32 [2, 1] does not match F32 [2, 3] (same dtype and every other axis equal)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, List.of(a, b))).getMessage());
    }

    @Test
    void splitAndChunkAreViews() {
        Tensor x = Tensor.arange(10, DType.F64).view(2, 5);
        List<Tensor> parts = x.split(1, 2, 3);
        assertSame(x.storage(), parts.get(1).storage());
        assertArrayEquals(new double[]{2, 3, 4, 7, 8, 9}, parts.get(1).toDoubleArray());
        List<Tensor> chunks = x.chunk(2, 1);
        assertEquals(2, chunks.size());
        assertArrayEquals(new int[]{2, 3}, chunks.get(0).shape());
        assertArrayEquals(new int[]{2, 2}, chunks.get(1).shape());
        assertEquals(3, Tensor.arange(5, DType.F32).chunk(3, 0).size());
        assertArrayEquals(x.toDoubleArray(), Tensor.concat(1, parts).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> x.split(1, 2, 2));
    }
}
