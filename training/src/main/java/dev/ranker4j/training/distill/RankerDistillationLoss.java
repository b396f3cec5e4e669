package dev.ranker4j.training.distill;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.loss.ListwiseKlDistillationLoss;

import java.util.Arrays;
import java.util.List;

/**
 * Ranker distillation after Gao, Dai &amp; Callan, "Understanding BERT Rankers Under Distillation" (ICTIR 2020),
 * which distils a BERT ranker TinyBERT-style (Jiao et al., Findings of EMNLP 2020, eq. 7–10). With student layer m
 * mapped to teacher layer g(m) ({@link LayerMapping}):
 * <pre>
 *   L_score = MSE(s_S, s_T)                  or  τ²·KL(softmax(s_T/τ) ‖ softmax(s_S/τ)) over each query's group
 *   L_hidn  = Σ_{m=0..M} MSE(H^S_m · W_h, H^T_{g(m)})     H_0 = embedding output; W_h learned when widths differ
 *   L_attn  = Σ_{m=1..M} MSE(A^S_m, A^T_{g(m)})          attention probabilities [B, heads, S, S]
 *   L       = w_score·L_score + w_hidn·L_hidn + w_attn·L_attn
 * </pre>
 * MSE means the mean over all elements. The projection W_h (TinyBERT's single shared matrix) is a parameter of this
 * loss: register {@link #projection()} with the optimizer. Teacher tensors are constants (the teacher is frozen).
 * Attention terms need the same number of heads in both models.
 */
public final class RankerDistillationLoss extends Module {

    /** How student scores are matched to the teacher's. */
    public enum ScoreLoss { MSE, KL }

    /** Weights of the three terms, the score loss and its temperature (for KL), and the group size (for KL). */
    public record Weights(double score, double hidden, double attention, ScoreLoss scoreLoss, double temperature, int groupSize) {
        public static Weights scoresOnly(ScoreLoss scoreLoss, double temperature, int groupSize) {
            return new Weights(1, 0, 0, scoreLoss, temperature, groupSize);
        }
    }

    /** The total and its parts, for logging. */
    public record Parts(Variable loss, Variable score, Variable hidden, Variable attention) {}

    private final Weights weights;
    private final LayerMapping mapping;
    private final Linear projection;

    /**
     * @param studentWidth hidden size of the student
     * @param teacherWidth hidden size of the teacher; a projection is created when it differs
     */
    public RankerDistillationLoss(Weights weights, LayerMapping mapping, int studentWidth, int teacherWidth, long seed, DType dtype) {
        this.weights = weights;
        this.mapping = mapping;
        this.projection = studentWidth == teacherWidth ? null
                : registerModule("hidden_projection", new Linear(studentWidth, teacherWidth, true, 0.02, new SeededRandom(seed), dtype));
    }

    /** W_h, or null when the widths agree. */
    public Linear projection() {
        return projection;
    }

    /**
     * @param studentScores     [n] student scores
     * @param teacherScores     [n] teacher scores (constant)
     * @param studentHidden     M+1 student hidden states [B, S, d_S] (embedding output first); empty if w_hidn = 0
     * @param teacherHidden     N+1 teacher hidden states [B, S, d_T]
     * @param studentAttentions M student attention probabilities; empty if w_attn = 0
     * @param teacherAttentions N teacher attention probabilities
     */
    public Parts compute(Variable studentScores, Tensor teacherScores, List<Variable> studentHidden, List<Tensor> teacherHidden,
                         List<Variable> studentAttentions, List<Tensor> teacherAttentions) {
        Variable score = weights.scoreLoss() == ScoreLoss.MSE
                ? studentScores.sub(Variable.constant(teacherScores.to(studentScores.dtype()))).pow(2).mean()
                : groupKl(studentScores, teacherScores);
        Variable total = score.mul(weights.score());

        Variable hidden = null;
        if (weights.hidden() != 0) {
            requireLayers("hidden states", studentHidden.size(), mapping.studentLayers() + 1, teacherHidden.size());
            for (int m = 0; m <= mapping.studentLayers(); m++) {
                Variable h = projection == null ? studentHidden.get(m) : projection.forward(studentHidden.get(m));
                Variable term = mse(h, teacherHidden.get(mapping.teacherLayer(m)), "hidden state " + m);
                hidden = hidden == null ? term : hidden.add(term);
            }
            total = total.add(hidden.mul(weights.hidden()));
        }
        Variable attention = null;
        if (weights.attention() != 0) {
            requireLayers("attentions", studentAttentions.size(), mapping.studentLayers(), teacherAttentions.size() + 1);
            for (int m = 1; m <= mapping.studentLayers(); m++) {
                Variable term = mse(studentAttentions.get(m - 1), teacherAttentions.get(mapping.teacherLayer(m) - 1), "attention " + m);
                attention = attention == null ? term : attention.add(term);
            }
            total = total.add(attention.mul(weights.attention()));
        }
        return new Parts(total, score, hidden, attention);
    }

    private Variable groupKl(Variable studentScores, Tensor teacherScores) {
        int g = weights.groupSize(), n = studentScores.value().numel();
        if (g < 2 || n % g != 0) {
            throw new IllegalArgumentException("RankerDistillationLoss: KL needs scores in groups of " + g + ", got " + n + " scores");
        }
        return new ListwiseKlDistillationLoss(weights.temperature())
                .compute(studentScores.reshape(n / g, g), teacherScores.reshape(n / g, g));
    }

    private static Variable mse(Variable student, Tensor teacher, String what) {
        if (!Arrays.equals(student.shape(), teacher.shape())) {
            throw new IllegalArgumentException("RankerDistillationLoss: student " + what + " " + Arrays.toString(student.shape())
                    + " and teacher " + Arrays.toString(teacher.shape()) + " differ (heads or widths?)");
        }
        return student.sub(Variable.constant(teacher.to(student.dtype()))).pow(2).mean();
    }

    private void requireLayers(String what, int studentCount, int expectedStudent, int teacherCount) {
        int maxTeacher = Arrays.stream(mapping.teacherLayerOf()).max().orElse(0);
        if (studentCount != expectedStudent || maxTeacher >= teacherCount) {
            throw new IllegalArgumentException("RankerDistillationLoss: " + what + ": the mapping " + Arrays.toString(mapping.teacherLayerOf())
                    + " needs " + expectedStudent + " student entries (got " + studentCount + ") and teacher entries up to "
                    + maxTeacher + " (got " + teacherCount + "); request hidden states/attentions from both models");
        }
    }

    public Weights weights() {
        return weights;
    }
}
