package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.TrecEvalOrder;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The tie-break among equal scores, precomputed: trec_eval ranks equal scores by docid descending
 * ({@link TrecEvalOrder}), so a search that cuts at rank k keeps the documents trec_eval would rank first.
 * {@code rank[d]} is document {@code d}'s position when all documents are sorted by docid descending; a lower rank
 * wins a tie. Comparing two ints keeps string comparisons out of the search loop.
 */
final class DocumentOrder {
    private DocumentOrder() {}

    /** {@code rank[d]} = position of {@code ids[d]} in docid-descending (code point) order. */
    static int[] tieRanks(List<String> ids) {
        Integer[] byIdDescending = IntStream.range(0, ids.size()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(byIdDescending, (a, b) -> TrecEvalOrder.compareIds(ids.get(b), ids.get(a)));
        int[] rank = new int[ids.size()];
        for (int position = 0; position < byIdDescending.length; position++) rank[byIdDescending[position]] = position;
        return rank;
    }
}
