package dev.ranker4j.training.train;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.loss.TasBalancedLoss;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.DualEncoder;

import java.util.Map;

/**
 * A dual encoder trained with TAS-B's dual supervision: pairwise Margin-MSE against BERT_CAT scores plus α times the
 * in-batch Margin-MSE against ColBERT scores ({@link TasBalancedLoss}). The ColBERT teacher, when given, is frozen
 * and scores the batch without a graph.
 */
public final class TasBalancedObjective implements Objective<TasBatch> {
    private final DualEncoder student;
    private final Colbert inBatchTeacher;
    private final TasBalancedLoss loss;

    /** @param inBatchTeacher ColBERT teacher, or null when batches carry in-batch teacher scores or α = 0 */
    public TasBalancedObjective(DualEncoder student, Colbert inBatchTeacher, double alpha) {
        this.student = student;
        this.inBatchTeacher = inBatchTeacher;
        this.loss = new TasBalancedLoss(alpha);
    }

    @Override
    public Loss loss(TasBatch batch) {
        Tensor teacher = batch.inBatchTeacher();
        if (teacher == null && loss.alpha() == 0) {
            teacher = null; // pairwise Margin-MSE only: no in-batch teacher is consulted
        } else if (teacher == null) {
            if (inBatchTeacher == null || batch.colbertQueries() == null) {
                throw new IllegalArgumentException("TasBalancedObjective: alpha is " + loss.alpha() + " but the batch has no"
                        + " in-batch teacher scores and there is no ColBERT teacher with ColBERT inputs to compute them");
            }
            try (NoGrad ignored = NoGrad.enter()) {
                teacher = Colbert.maxSimMatrix(inBatchTeacher.encodeQueries(batch.colbertQueries()),
                        inBatchTeacher.encodeDocuments(batch.colbertPassages())).value();
            }
        }
        Variable scores = student.scoreMatrix(batch.queries(), batch.passages());
        TasBalancedLoss.Parts parts = loss.compute(scores, batch.teacherPositive(), batch.teacherNegative(), teacher);
        return new Loss(parts.loss(), Map.of("loss_pair", parts.pairwise().item(), "loss_inbatch", parts.inBatch().item()));
    }

    @Override
    public int examples(TasBatch batch) {
        return batch.queries().batchSize();
    }
}
