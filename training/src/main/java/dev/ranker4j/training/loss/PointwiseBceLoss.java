package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

/**
 * Pointwise binary cross-entropy on cross-encoder logits: the "vanilla" BERT reranker of Nogueira &amp; Cho,
 * "Passage Re-ranking with BERT" (arXiv:1901.04085, 2019), which treats each (query, passage) pair as a binary
 * relevance classification.
 * <pre>
 *   L = (1/n) Σ_i [ −y_i log σ(s_i) − (1 − y_i) log(1 − σ(s_i)) ]
 *     = (1/n) Σ_i [ softplus(s_i) − y_i s_i ]           softplus(s) = max(s, 0) + log(1 + e^{−|s|})
 * </pre>
 * The second form (PyTorch's {@code BCEWithLogitsLoss}) never exponentiates a large positive number. dL/ds_i =
 * (σ(s_i) − y_i) / n.
 */
public final class PointwiseBceLoss {

    /** Mean BCE of logits [n] against labels [n] in [0, 1] (1 relevant, 0 not; soft labels allowed). */
    public Variable compute(Variable logits, Tensor labels) {
        LossShapes.requireRank("PointwiseBceLoss", "logits", logits, 1);
        Variable y = LossShapes.target("PointwiseBceLoss", "labels", labels, logits, logits.shape());
        // −|s| as min(s, −s); softplus(s) = relu(s) + log(1 + exp(−|s|)).
        Variable softplus = logits.relu().add(logits.minimum(logits.neg()).exp().add(1).log());
        return softplus.sub(logits.mul(y)).mean();
    }
}
