package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;

/**
 * Dynamic listwise distillation of RocketQAv2: Ren, Qu, Liu, Zhao, She, Wu, Wang &amp; Wen, "RocketQAv2: A Joint
 * Training Method for Dense Passage Retrieval and Passage Re-ranking" (EMNLP 2021), §3.2–3.3. The retriever (dual
 * encoder, scores s_de) and the re-ranker (cross-encoder, scores s_ce) score the same candidate list of each query
 * (positive first); both are trained together:
 * <pre>
 *   p_de = softmax(s_de),  p_ce = softmax(s_ce)                               over each list           (eq. 3, 4)
 *   L_KL  = Σ_q Σ_k p_de[q,k] · log( p_de[q,k] / p_ce[q,k] )                  gradient into BOTH models (eq. 5)
 *   L_sup = (1/Q) Σ_q −log p_ce[q, 0]                                         the re-ranker's listwise CE (eq. 6)
 *   L     = L_KL + L_sup                                                                              (eq. 7)
 * </pre>
 * Unlike static distillation, the re-ranker is not frozen: L_KL also moves p_ce towards p_de. The KL is summed over
 * queries (not averaged), as in the reference data's definition.
 */
public final class RocketQaV2Loss {

    /** The loss and its parts. */
    public record Parts(Variable loss, Variable kl, Variable supervised) {}

    /** Retriever scores [Q, L] and re-ranker scores [Q, L], positive at index 0 of each list. */
    public Parts compute(Variable retrieverScores, Variable rerankerScores) {
        LossShapes.requireRank("RocketQaV2Loss", "retriever scores", retrieverScores, 2);
        LossShapes.requireSameShape("RocketQaV2Loss", "retriever scores", retrieverScores, "re-ranker scores", rerankerScores);
        Variable logPde = retrieverScores.logSoftmax();
        Variable logPce = rerankerScores.logSoftmax();
        Variable kl = logPde.exp().mul(logPde.sub(logPce)).sum();
        Variable supervised = Ops.crossEntropy(rerankerScores, new int[rerankerScores.shape()[0]]);
        return new Parts(kl.add(supervised), kl, supervised);
    }

    /**
     * Static listwise distillation (RocketQAv2's ablation, Table 4): the same KL with the re-ranker's scores as a
     * fixed target ({@code teacherScores}, computed without a graph), so only the retriever learns; no L_sup.
     */
    public Parts staticDistillation(Variable retrieverScores, Variable teacherScores) {
        LossShapes.requireSameShape("RocketQaV2Loss", "retriever scores", retrieverScores, "re-ranker scores", teacherScores);
        Variable logPde = retrieverScores.logSoftmax();
        Variable logPce = Variable.constant(teacherScores.value()).logSoftmax();
        Variable kl = logPde.exp().mul(logPde.sub(logPce)).sum();
        return new Parts(kl, kl, Variable.constant(dev.ranker4j.tensor.Tensor.scalar(0, kl.dtype())));
    }

    /** No distillation: the retriever's listwise cross-entropy of the labelled positive (index 0) alone. */
    public Parts supervisedOnly(Variable retrieverScores) {
        LossShapes.requireRank("RocketQaV2Loss", "retriever scores", retrieverScores, 2);
        Variable supervised = Ops.crossEntropy(retrieverScores, new int[retrieverScores.shape()[0]]);
        return new Parts(supervised, Variable.constant(dev.ranker4j.tensor.Tensor.scalar(0, supervised.dtype())), supervised);
    }
}
