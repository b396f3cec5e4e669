package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

/**
 * The dual-supervision loss of TAS-Balanced: Hofstätter, Lin, Yang, Lin &amp; Hanbury, "Efficiently Teaching an
 * Effective Dense Retriever with Balanced Topic Aware Sampling" (SIGIR 2021), eq. 6–8. A batch holds B queries and
 * 2B passages (rows 0..B−1 are the queries' positives, rows B..2B−1 their negatives); S = Q·Pᵀ [B, 2B] are the
 * student's scores.
 * <pre>
 *   L_Pair = (1/B) Σ_i ( (S[i, i] − S[i, B+i]) − (T⁺_i − T⁻_i) )²                    (6) pairwise Margin-MSE vs BERT_CAT
 *   L_InB  = 1/(B(2B−1)) Σ_i Σ_{j≠i} ( (S[i, i] − S[i, j]) − (T̂[i, i] − T̂[i, j]) )²   (7) in-batch Margin-MSE vs ColBERT
 *   L_DS   = L_Pair + α · L_InB                                                         (8) α = 0.75 by default
 * </pre>
 * T⁺, T⁻ are the pairwise teacher's scores (BERT_CAT) for each query's positive and negative; T̂ [B, 2B] the in-batch
 * teacher's (ColBERT) scores for every query–passage combination of the batch. Every passage j ≠ i, negatives and
 * other queries' positives alike, is an in-batch negative of query i (the definition of the reference data in
 * ../shared/reference/training/MANIFEST.json).
 */
public final class TasBalancedLoss {
    /** The paper's α. */
    public static final double DEFAULT_ALPHA = 0.75;

    private final double alpha;
    private final MarginMseLoss marginMse = new MarginMseLoss();

    public TasBalancedLoss(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("TasBalancedLoss: alpha must be >= 0, got " + alpha);
        this.alpha = alpha;
    }

    public TasBalancedLoss() {
        this(DEFAULT_ALPHA);
    }

    /** The loss and its two parts (for logging and for checks against the reference). */
    public record Parts(Variable loss, Variable pairwise, Variable inBatch) {}

    /**
     * @param scores          student scores S [B, 2B], positives in columns 0..B−1, negatives in B..2B−1
     * @param teacherPositive pairwise teacher scores T⁺ [B]
     * @param teacherNegative pairwise teacher scores T⁻ [B]
     * @param inBatchTeacher  in-batch teacher scores T̂ [B, 2B]; null with α = 0 (Margin-MSE against BERT_CAT only)
     */
    public Parts compute(Variable scores, Tensor teacherPositive, Tensor teacherNegative, Tensor inBatchTeacher) {
        LossShapes.requireRank("TasBalancedLoss", "scores", scores, 2);
        int b = scores.shape()[0];
        LossShapes.requireShape("TasBalancedLoss", "scores", scores.shape(), b, 2 * b);
        if (inBatchTeacher == null && alpha != 0) {
            throw new IllegalArgumentException("TasBalancedLoss: alpha is " + alpha + " but there are no in-batch teacher scores");
        }
        if (inBatchTeacher != null) LossShapes.requireShape("TasBalancedLoss", "in-batch teacher scores", inBatchTeacher.shape(), b, 2 * b);
        DType dtype = scores.dtype();

        // Eq. 6: the pair (q_i, p⁺_i, p⁻_i) sits at columns i and B + i of row i.
        Tensor positiveColumn = oneHotColumns(b, 2 * b, 0, dtype), negativeColumn = oneHotColumns(b, 2 * b, b, dtype);
        Variable studentPositive = scores.mul(Variable.constant(positiveColumn)).sum(1);
        Variable studentNegative = scores.mul(Variable.constant(negativeColumn)).sum(1);
        Variable pairwise = marginMse.compute(studentPositive, studentNegative, teacherPositive, teacherNegative);
        if (inBatchTeacher == null) return new Parts(pairwise, pairwise, Variable.constant(Tensor.scalar(0, dtype)));

        // Eq. 7: margins of the diagonal (each query's own positive) over every other passage j ≠ i.
        Variable studentDiagonal = studentPositive.unsqueeze(1);                 // [B, 1]
        Tensor teacher = inBatchTeacher.to(dtype);
        Tensor teacherDiagonal = teacher.mul(positiveColumn).sum(1, true);      // [B, 1]
        Variable studentMargins = studentDiagonal.sub(scores);                   // [B, 2B], S[i,i] − S[i,j]
        Tensor teacherMargins = teacherDiagonal.sub(teacher);
        Tensor offDiagonal = Tensor.ones(dtype, b, 2 * b).sub(positiveColumn);
        Variable squared = studentMargins.sub(Variable.constant(teacherMargins)).pow(2).mul(Variable.constant(offDiagonal));
        Variable inBatch = squared.sum().mul(1.0 / (b * (2.0 * b - 1)));

        return new Parts(pairwise.add(inBatch.mul(alpha)), pairwise, inBatch);
    }

    /** [rows, cols] with a 1 at (i, offset + i). */
    private static Tensor oneHotColumns(int rows, int cols, int offset, DType dtype) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++) m[i * cols + offset + i] = 1;
        return Tensor.fromArray(m, rows, cols).to(dtype);
    }

    public double alpha() {
        return alpha;
    }
}
