package dev.ranker4j.ir.retrieval;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Encoded texts: {@code count} vectors of {@code dimension} floats, stored row-major in one array (vector {@code i}
 * occupies {@code data[i*dimension .. (i+1)*dimension)}), each named by an id. One array keeps the search loop on
 * {@code float[]}, the fastest path the Vector API has; it limits a set to 2^31-1 floats (e.g. 5.5 M vectors of 384).
 *
 * @param ids        one id per vector, unique
 * @param dimension  floats per vector
 * @param normalized whether every vector has unit L2 norm (the encoder normalised them)
 * @param data       {@code ids.size() * dimension} floats
 */
public record DenseVectors(List<String> ids, int dimension, boolean normalized, float[] data) {
    public DenseVectors {
        ids = List.copyOf(ids);
        Objects.requireNonNull(data, "data");
        if (dimension <= 0) throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        if ((long) ids.size() * dimension != data.length) {
            throw new IllegalArgumentException(ids.size() + " ids x dimension " + dimension + " != " + data.length
                    + " floats");
        }
        if (new HashSet<>(ids).size() != ids.size()) throw new IllegalArgumentException("ids are not unique");
    }

    /** Vectors from rows (copied). */
    public static DenseVectors of(List<String> ids, float[][] rows, boolean normalized) {
        if (rows.length == 0) throw new IllegalArgumentException("no vectors");
        int dimension = rows[0].length;
        float[] data = new float[Math.multiplyExact(rows.length, dimension)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dimension) {
                throw new IllegalArgumentException("vector " + i + " has " + rows[i].length + " floats, vector 0 has "
                        + dimension);
            }
            System.arraycopy(rows[i], 0, data, i * dimension, dimension);
        }
        return new DenseVectors(ids, dimension, normalized, data);
    }

    /** Number of vectors. */
    /** The vectors of the given ids only, in this file's order. */
    public DenseVectors restrictedTo(java.util.Set<String> keep) {
        List<String> kept = new java.util.ArrayList<>();
        float[] out = new float[data.length];
        int rows = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (!keep.contains(ids.get(i))) continue;
            kept.add(ids.get(i));
            System.arraycopy(data, i * dimension, out, rows++ * dimension, dimension);
        }
        return new DenseVectors(kept, dimension, normalized, java.util.Arrays.copyOf(out, rows * dimension));
    }

    public int size() {
        return ids.size();
    }

    /** A copy of vector {@code i}. */
    public float[] vector(int i) {
        float[] row = new float[dimension];
        System.arraycopy(data, i * dimension, row, 0, dimension);
        return row;
    }

    /** L2-normalises rows in place (a zero row stays zero) and returns it. */
    public static float[] normalizeInPlace(float[] row) {
        double squares = 0;
        for (float x : row) squares += (double) x * x;
        if (squares > 0) {
            float inverse = (float) (1 / Math.sqrt(squares));
            for (int i = 0; i < row.length; i++) row[i] *= inverse;
        }
        return row;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DenseVectors that && dimension == that.dimension && normalized == that.normalized
                && ids.equals(that.ids) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ids, dimension, normalized, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "DenseVectors[" + size() + " x " + dimension + (normalized ? ", normalized" : "") + "]";
    }
}
