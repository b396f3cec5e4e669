package dev.ranker4j.ir.retrieval;

/**
 * What both searches ({@link ExactSearch}, {@link ReferenceSearch}) compute identically before scoring, so they differ
 * only in how they take dot products and select the top k: the inverse L2 norms for cosine, and the final score
 * {@code dot * invNorm(q) * invNorm(d)} in one fixed evaluation order.
 */
final class ScoringInputs {
    private ScoringInputs() {}

    /** {@code 1/|v_i|} for every vector (0 for a zero vector, so it scores 0), or all ones for {@link Similarity#DOT}. */
    static float[] inverseNorms(DenseVectors vectors, Similarity similarity) {
        float[] inverse = new float[vectors.size()];
        int dimension = vectors.dimension();
        float[] data = vectors.data();
        for (int i = 0; i < inverse.length; i++) {
            if (similarity == Similarity.DOT) {
                inverse[i] = 1;
                continue;
            }
            double squares = 0;
            for (int j = i * dimension; j < (i + 1) * dimension; j++) squares += (double) data[j] * data[j];
            inverse[i] = squares == 0 ? 0 : (float) (1 / Math.sqrt(squares));
        }
        return inverse;
    }

    /**
     * The similarity from a raw dot product. Adding {@code 0f} turns {@code -0f} into {@code 0f}: the fast search
     * compares with {@code >}/{@code ==}, the reference with {@link Float#compare}, and only the latter tells them apart.
     */
    static float score(float dot, float inverseNormQuery, float inverseNormDoc) {
        return dot * inverseNormQuery * inverseNormDoc + 0f;
    }

    static void checkCompatible(DenseVectors queries, DenseVectors docs, int k) {
        if (queries.dimension() != docs.dimension()) {
            throw new IllegalArgumentException("query vectors have dimension " + queries.dimension()
                    + " but document vectors " + docs.dimension());
        }
        if (k <= 0) throw new IllegalArgumentException("k must be positive, got " + k);
    }
}
