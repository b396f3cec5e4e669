package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;

/**
 * In-batch negatives cross-entropy for dual encoders, as in DPR (Karpukhin et al., "Dense Passage Retrieval for
 * Open-Domain Question Answering", EMNLP 2020, eq. 2): every other passage of the batch (the other queries'
 * positives and any hard negatives) serves as a negative for query i.
 * <pre>
 *   S = Q · Pᵀ            Q [B, d] query vectors, P [N, d] passage vectors, N ≥ B, row i of P is q_i's positive
 *   L = (1/B) Σ_i −log( exp(S[i, i]) / Σ_j exp(S[i, j]) )
 * </pre>
 */
public final class InBatchNegativesLoss {

    /** Loss from the score matrix S [B, N] whose diagonal holds the positives. */
    public Variable compute(Variable scores) {
        LossShapes.requireRank("InBatchNegativesLoss", "scores", scores, 2);
        int b = scores.shape()[0];
        if (scores.shape()[1] < b) {
            throw new IllegalArgumentException("InBatchNegativesLoss: scores " + java.util.Arrays.toString(scores.shape())
                    + " need at least as many passages as queries (passage i is query i's positive)");
        }
        int[] targets = new int[b];
        for (int i = 0; i < b; i++) targets[i] = i;
        return Ops.crossEntropy(scores, targets);
    }

    /** Loss from query vectors [B, d] and passage vectors [N, d] under the dot product. */
    public Variable compute(Variable queries, Variable passages) {
        return compute(queries.matmul(passages, false, true));
    }
}
