package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

/**
 * Listwise knowledge distillation from a frozen teacher: the student's softmax over a candidate list is pulled
 * towards the teacher's, both softened by a temperature τ (Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in
 * a Neural Network", 2015; used for rankers e.g. by Gao, Dai &amp; Callan, "Understanding BERT Rankers Under
 * Distillation", ICTIR 2020).
 * <pre>
 *   p_t = softmax(t / τ),  p_s = softmax(s / τ)     over each list (row)
 *   L   = τ² · (1/Q) Σ_q Σ_k p_t[q,k] · (log p_t[q,k] − log p_s[q,k])        = τ² · mean_q KL(p_t ‖ p_s)
 * </pre>
 * The τ² factor keeps the gradient's magnitude independent of τ (Hinton et al., §2).
 */
public final class ListwiseKlDistillationLoss {
    private final double temperature;

    public ListwiseKlDistillationLoss(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("ListwiseKlDistillationLoss: temperature must be > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    /** Student scores [Q, L]; teacher scores [Q, L] (constant). */
    public Variable compute(Variable student, Tensor teacher) {
        LossShapes.requireRank("ListwiseKlDistillationLoss", "student scores", student, 2);
        Variable t = LossShapes.target("ListwiseKlDistillationLoss", "teacher scores", teacher, student, student.shape());
        Variable teacherLogP = t.mul(1 / temperature).logSoftmax();
        Variable studentLogP = student.mul(1 / temperature).logSoftmax();
        Variable kl = teacherLogP.exp().mul(teacherLogP.sub(studentLogP)).sum(1);
        return kl.mean().mul(temperature * temperature);
    }

    public double temperature() {
        return temperature;
    }
}
