package dev.ranker4j.ir.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One line of the Reranker toolkit's grouped training data (Gao et al. 2021, "Rethink Training of BERT Rerankers in
 * Multi-Stage Retrieval Pipeline"): a query with its positives and its localized negatives, all as token ids:
 * {@code {"qry": {"qid", "query": [ids]}, "pos": [{"pid", "passage": [ids]}], "neg": [...]}}. A training group takes
 * one positive and {@code group_size - 1} negatives from it.
 */
public record GroupedTrainingExample(String queryId, int[] queryTokenIds, List<TokenizedPassage> positives,
                                     List<TokenizedPassage> negatives) {
    public GroupedTrainingExample {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(queryTokenIds, "queryTokenIds");
        positives = List.copyOf(positives);
        negatives = List.copyOf(negatives);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupedTrainingExample that && queryId.equals(that.queryId)
                && Arrays.equals(queryTokenIds, that.queryTokenIds) && positives.equals(that.positives)
                && negatives.equals(that.negatives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queryId, Arrays.hashCode(queryTokenIds), positives, negatives);
    }

    @Override
    public String toString() {
        return "GroupedTrainingExample[" + queryId + ", " + Arrays.toString(queryTokenIds) + ", pos=" + positives
                + ", neg=" + negatives + "]";
    }
}
