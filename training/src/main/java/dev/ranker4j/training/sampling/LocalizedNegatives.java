package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.TokenizedPassage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A training query with its judged positives and the negatives sampled from a target retriever's top results (LCE,
 * Gao, Dai and Callan 2021). The trainer's grouped batches take one positive and {@code group_size - 1} of the
 * negatives per query; {@link #toGrouped} turns this into the Reranker toolkit's grouped line.
 *
 * @param queryId     the query
 * @param positiveIds judged relevant passages, in qrels order
 * @param negativeIds sampled localized negatives, in the retriever's rank order
 */
public record LocalizedNegatives(String queryId, List<String> positiveIds, List<String> negativeIds) {
    public LocalizedNegatives {
        Objects.requireNonNull(queryId, "queryId");
        positiveIds = List.copyOf(positiveIds);
        negativeIds = List.copyOf(negativeIds);
    }

    /**
     * The Reranker toolkit's grouped training example.
     *
     * @param queryTokens   token ids of a query id's text (no special tokens)
     * @param passageTokens token ids of a passage id's text (no special tokens)
     */
    public GroupedTrainingExample toGrouped(Function<String, int[]> queryTokens, Function<String, int[]> passageTokens) {
        return new GroupedTrainingExample(queryId, queryTokens.apply(queryId), tokenized(positiveIds, passageTokens),
                tokenized(negativeIds, passageTokens));
    }

    private static List<TokenizedPassage> tokenized(List<String> ids, Function<String, int[]> tokens) {
        List<TokenizedPassage> passages = new ArrayList<>(ids.size());
        for (String id : ids) passages.add(new TokenizedPassage(id, tokens.apply(id)));
        return passages;
    }
}
