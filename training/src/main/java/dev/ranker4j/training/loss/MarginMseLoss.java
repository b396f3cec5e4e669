package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

/**
 * Margin-MSE from Hofstätter, Althammer, Schröder, Sertkan &amp; Hanbury, "Improving Efficient Neural Ranking Models
 * with Cross-Architecture Knowledge Distillation" (arXiv:2010.02666, 2020), eq. 1: the student learns the teacher's
 * margin between a positive and a negative passage, not its raw scores.
 * <pre>
 *   L = (1/n) Σ_i ( (M_s(q_i, p⁺_i) − M_s(q_i, p⁻_i)) − (M_t(q_i, p⁺_i) − M_t(q_i, p⁻_i)) )²
 * </pre>
 * Adding one constant to both student scores of a pair leaves L unchanged.
 */
public final class MarginMseLoss {

    /** Student scores [n] for positives and negatives; teacher scores [n] (constants). */
    public Variable compute(Variable studentPositive, Variable studentNegative, Tensor teacherPositive, Tensor teacherNegative) {
        LossShapes.requireRank("MarginMseLoss", "student positive scores", studentPositive, 1);
        LossShapes.requireSameShape("MarginMseLoss", "student positive scores", studentPositive, "student negative scores", studentNegative);
        int n = studentPositive.shape()[0];
        Variable tp = LossShapes.target("MarginMseLoss", "teacher positive scores", teacherPositive, studentPositive, n);
        Variable tn = LossShapes.target("MarginMseLoss", "teacher negative scores", teacherNegative, studentPositive, n);
        return compute(studentPositive.sub(studentNegative), tp.sub(tn));
    }

    /** The same loss from precomputed margins: mean((studentMargin − teacherMargin)²). */
    public Variable compute(Variable studentMargin, Variable teacherMargin) {
        return studentMargin.sub(teacherMargin).pow(2).mean();
    }
}
