package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.TrecEvalOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain twin of {@link ExactSearch}: for each query, score every document with a sequential dot product, sort all
 * of them (score descending, docid descending, as trec_eval) and keep the first k. Obviously right and slow; tests
 * check the fast search against it.
 */
public final class ReferenceSearch {
    private ReferenceSearch() {}

    /** The top {@code k} documents for each query, best first. */
    public static List<List<Hit>> search(DenseVectors queries, DenseVectors docs, int k, Similarity similarity) {
        ScoringInputs.checkCompatible(queries, docs, k);
        float[] queryNorms = ScoringInputs.inverseNorms(queries, similarity);
        float[] docNorms = ScoringInputs.inverseNorms(docs, similarity);
        int dimension = docs.dimension();
        List<List<Hit>> results = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            List<Hit> all = new ArrayList<>();
            for (int d = 0; d < docs.size(); d++) {
                float dot = 0;
                for (int j = 0; j < dimension; j++) {
                    dot += queries.data()[q * dimension + j] * docs.data()[d * dimension + j];
                }
                all.add(new Hit(d, ScoringInputs.score(dot, queryNorms[q], docNorms[d])));
            }
            all.sort((a, b) -> {
                int byScore = Float.compare(b.score(), a.score());
                return byScore != 0 ? byScore : TrecEvalOrder.compareIds(docs.ids().get(b.doc()), docs.ids().get(a.doc()));
            });
            results.add(List.copyOf(all.subList(0, Math.min(k, all.size()))));
        }
        return results;
    }
}
