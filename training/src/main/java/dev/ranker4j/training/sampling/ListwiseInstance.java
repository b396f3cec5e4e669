package dev.ranker4j.training.sampling;

import java.util.List;
import java.util.Objects;

/**
 * A listwise training instance for RocketQAv2 joint training (Ren et al., EMNLP 2021): one query and a list of
 * passages whose first entry is the positive and the rest negatives. The retriever's and the re-ranker's scores over
 * the list are each turned into a softmax distribution; the retriever is trained towards the re-ranker's distribution
 * (KL divergence) and the re-ranker on the supervised listwise cross-entropy with the label at index 0.
 *
 * @param queryId    the query
 * @param passageIds the positive, then {@code size - 1} negatives
 * @param denoised   whether the re-ranker filtered this instance's passages (see {@link HybridDataAugmentation})
 */
public record ListwiseInstance(String queryId, List<String> passageIds, boolean denoised) {
    public ListwiseInstance {
        Objects.requireNonNull(queryId, "queryId");
        passageIds = List.copyOf(passageIds);
        if (passageIds.size() < 2) {
            throw new IllegalArgumentException("a listwise instance needs a positive and at least one negative");
        }
    }

    /** The positive passage (index 0). */
    public String positiveId() {
        return passageIds.getFirst();
    }

    /** The negatives (indexes 1 ..). */
    public List<String> negativeIds() {
        return passageIds.subList(1, passageIds.size());
    }
}
