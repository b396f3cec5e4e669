package dev.ranker4j.ir.retrieval;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast search against its plain twin on random inputs. */
class ExactSearchPropertiesTest {

    /**
     * Vectors of small integers: every dot product is an exact float, so SIMD and sequential sums agree bit for bit
     * and the results must be identical, including which of many tied documents make the cut (docid descending).
     */
    @Property(tries = 60)
    void fastSearchEqualsReferenceIncludingTies(@ForAll @IntRange(min = 1, max = 9) int queries,
                                                 @ForAll @IntRange(min = 1, max = 300) int docs,
                                                 @ForAll @IntRange(min = 1, max = 70) int dimension,
                                                 @ForAll @IntRange(min = 1, max = 40) int k,
                                                 @ForAll @IntRange(min = 1, max = 4) int threads,
                                                 @ForAll boolean cosine, @ForAll @LongRange long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseVectors q = smallIntegers("q", queries, dimension, random);
        DenseVectors d = smallIntegers("d", docs, dimension, random);
        Similarity similarity = cosine ? Similarity.COSINE : Similarity.DOT;
        assertEquals(ReferenceSearch.search(q, d, k, similarity), new ExactSearch(threads).search(q, d, k, similarity));
    }

    /** Real-valued vectors: the same documents in the same order wherever scores are not within rounding. */
    @Property(tries = 40)
    void gaussianVectorsAgreeUpToRounding(@ForAll @IntRange(min = 1, max = 5) int queries,
                                          @ForAll @IntRange(min = 1, max = 200) int docs,
                                          @ForAll @IntRange(min = 1, max = 400) int dimension,
                                          @ForAll @IntRange(min = 1, max = 20) int k,
                                          @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll @LongRange long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseVectors q = gaussian("q", queries, dimension, random);
        DenseVectors d = gaussian("d", docs, dimension, random);
        List<List<Hit>> expected = ReferenceSearch.search(q, d, k, Similarity.COSINE);
        List<List<Hit>> actual = new ExactSearch(threads).search(q, d, k, Similarity.COSINE);
        for (int i = 0; i < queries; i++) {
            assertEquals(expected.get(i).size(), actual.get(i).size());
            for (int rank = 0; rank < expected.get(i).size(); rank++) {
                Hit e = expected.get(i).get(rank);
                Hit a = actual.get(i).get(rank);
                assertEquals(e.score(), a.score(), 1e-5f, "query " + i + " rank " + rank);
                if (e.doc() != a.doc()) {
                    // Only a near-tie may swap: the reference's own score for the fast search's document is as high.
                    float other = expected.get(i).stream().filter(h -> h.doc() == a.doc()).findFirst()
                            .map(Hit::score).orElse(Float.NaN);
                    assertTrue(Math.abs(other - e.score()) < 1e-5f || Float.isNaN(other) && rank == expected.get(i).size() - 1,
                            "query " + i + " rank " + rank + ": " + e + " vs " + a);
                }
            }
        }
    }

    static DenseVectors smallIntegers(String prefix, int count, int dimension, SplittableRandom random) {
        float[][] rows = new float[count][dimension];
        for (float[] row : rows) {
            for (int j = 0; j < dimension; j++) row[j] = random.nextInt(-2, 3); // many zeros and ties
        }
        return DenseVectors.of(ids(prefix, count, random), rows, false);
    }

    static DenseVectors gaussian(String prefix, int count, int dimension, SplittableRandom random) {
        float[][] rows = new float[count][dimension];
        java.util.Random gaussian = new java.util.Random(random.nextLong());
        for (float[] row : rows) {
            for (int j = 0; j < dimension; j++) row[j] = (float) gaussian.nextGaussian();
        }
        return DenseVectors.of(ids(prefix, count, random), rows, false);
    }

    /** Unique ids in shuffled, non-numeric order, so the tie-break is not the index order. */
    private static List<String> ids(String prefix, int count, SplittableRandom random) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) ids.add(prefix + Integer.toString(i * 7919 % 10007, 36));
        java.util.Collections.shuffle(ids, new java.util.Random(random.nextLong()));
        return ids;
    }
}
