package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

import java.util.Arrays;

/**
 * Embedding lookup (gather rows of a [V, D] table by id) and its backward (scatter-add rows into a table). Ids are
 * checked against V first: an out-of-range id from a tokenizer/vocabulary mismatch names itself and V instead of
 * surfacing as an ArrayIndexOutOfBoundsException deep inside a kernel.
 */
final class TensorEmbedding {
    private TensorEmbedding() {}

    /** table [V, D], ids [...] (I64/I32) → [..., D]. */
    static Tensor gather(Tensor table, Tensor ids) {
        checkTable("embedding", table);
        int vocabulary = table.size(0), dim = table.size(1);
        int[] flatIds = checkedIds("embedding", ids, vocabulary);
        int[] outShape = Arrays.copyOf(ids.shape, ids.rank() + 1);
        outShape[ids.rank()] = dim;
        Tensor out = Tensor.output(table.dtype, outShape);
        Backend backend = Backends.current();
        backend.gatherRows(TensorLayerNorm.atZero(table), dim, flatIds, flatIds.length, out.ref());
        return out;
    }

    /** A new [vocabulary, D] table with rows[i] added at ids[i]. */
    static Tensor scatterAdd(Tensor ids, Tensor rows, int vocabulary) {
        Elementwise.requireComputable("embeddingBackward", rows);
        Tensor table = Tensor.zeros(rows.dtype, vocabulary, rows.rank() == 0 ? 0 : rows.size(-1));
        scatterAddInPlace(table, ids, rows);
        return table;
    }

    /** table[ids[i], :] += rows[i, :] where rows has shape [...ids shape, D]. */
    static void scatterAddInPlace(Tensor table, Tensor ids, Tensor rows) {
        checkTable("scatterAddRowsInPlace", table);
        Elementwise.requireSameComputable("scatterAddRowsInPlace", table, rows);
        int vocabulary = table.size(0), dim = table.size(1);
        int[] expected = Arrays.copyOf(ids.shape, ids.rank() + 1);
        expected[ids.rank()] = dim;
        if (!Arrays.equals(rows.shape, expected)) {
            throw new IllegalArgumentException("scatterAddRowsInPlace: rows have shape " + Shape.format(rows.shape)
                    + ", expected " + Shape.format(expected) + " for ids " + Shape.format(ids.shape)
                    + " and table " + Shape.format(table.shape));
        }
        int[] flatIds = checkedIds("scatterAddRowsInPlace", ids, vocabulary);
        if (!(table.isContiguous() && table.offset == 0)) {
            // The kernel addresses the table from index 0: accumulate into a fresh table, then add it to the view.
            Tensor fresh = Tensor.zeros(table.dtype, table.shape);
            scatterAddInPlace(fresh, ids, rows);
            table.addInPlace(fresh, 1);
            return;
        }
        Tensor src = rows.contiguous();
        Backend backend = Backends.current();
        backend.scatterAddRows(src.ref(), dim, flatIds, flatIds.length, table.ref());
    }

    private static void checkTable(String op, Tensor table) {
        Elementwise.requireComputable(op, table);
        if (table.rank() != 2) {
            throw new IllegalArgumentException(op + ": table must have shape [V, D], got " + Shape.format(table.shape));
        }
    }

    /** Ids in row-major order as ints, each checked to lie in [0, vocabulary). */
    private static int[] checkedIds(String op, Tensor ids, int vocabulary) {
        if (!ids.dtype.isInteger()) {
            throw new IllegalArgumentException(op + ": ids must be I64 or I32, got " + ids.describe());
        }
        long[] values = ids.toLongArray();
        int[] result = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long id = values[i];
            if (id < 0 || id >= vocabulary) {
                throw new IndexOutOfBoundsException(op + ": id " + id + " (at flat position " + i + " of ids "
                        + Shape.format(ids.shape) + ") is outside the vocabulary of size " + vocabulary);
            }
            result[i] = (int) id;
        }
        return result;
    }
}
