package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;

/**
 * Localized Contrastive Estimation (LCE) from Gao, Dai &amp; Callan, "Rethink Training of BERT Rerankers in
 * Multi-Stage Retrieval Pipeline" (ECIR 2021). Each query q comes with a group G_q of one positive p⁺ and n
 * negatives sampled from the top of the target retriever's ranking (localized); the loss is the softmax
 * cross-entropy of the positive within its group, averaged over the queries of the batch (eq. 2):
 * <pre>
 *   L = (1/|Q|) Σ_q −log( exp(s(q, p⁺)) / Σ_{p ∈ G_q} exp(s(q, p)) )
 * </pre>
 * Scores arrive as one row per query with the positive first: [queries, groupSize] (or flat [queries·groupSize]).
 * Adding a constant to every score of a group leaves L unchanged (softmax is shift-invariant).
 */
public final class LocalizedContrastiveLoss {
    private final int groupSize;

    /** @param groupSize passages per query, 1 positive + (groupSize − 1) negatives; at least 2 */
    public LocalizedContrastiveLoss(int groupSize) {
        if (groupSize < 2) throw new IllegalArgumentException("LocalizedContrastiveLoss: group size must be >= 2, got " + groupSize);
        this.groupSize = groupSize;
    }

    public int groupSize() {
        return groupSize;
    }

    /** Mean LCE over queries; scores [Q, groupSize] or [Q·groupSize], positive first in each group. */
    public Variable compute(Variable scores) {
        int n = scores.value().numel();
        if (n % groupSize != 0 || scores.rank() > 2 || (scores.rank() == 2 && scores.shape()[1] != groupSize)) {
            throw new IllegalArgumentException("LocalizedContrastiveLoss: scores " + java.util.Arrays.toString(scores.shape())
                    + " do not form groups of " + groupSize + " (expected [Q, " + groupSize + "] or [Q*" + groupSize + "])");
        }
        int queries = n / groupSize;
        return Ops.crossEntropy(scores.reshape(queries, groupSize), new int[queries]);
    }
}
