package dev.ranker4j.training.train;

import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;

/**
 * A TAS-Balanced batch: B queries, their positives (passage rows 0..B−1) and negatives (rows B..2B−1), the pairwise
 * teacher's scores, and the in-batch teacher's scores (given, or computed by a ColBERT teacher from its own inputs).
 *
 * @param queries         [B, Sq]
 * @param passages        [2B, Sp]
 * @param teacherPositive [B] BERT_CAT teacher scores of (q_i, p⁺_i)
 * @param teacherNegative [B] BERT_CAT teacher scores of (q_i, p⁻_i)
 * @param inBatchTeacher  [B, 2B] in-batch teacher scores, or null to compute them with the objective's ColBERT
 * @param colbertQueries  the queries in ColBERT's input form (when inBatchTeacher is null)
 * @param colbertPassages the passages in ColBERT's input form (when inBatchTeacher is null)
 */
public record TasBatch(BertInput queries, BertInput passages, Tensor teacherPositive, Tensor teacherNegative,
                       Tensor inBatchTeacher, BertInput colbertQueries, BertInput colbertPassages) {
    public TasBatch {
        if (passages.batchSize() != 2 * queries.batchSize()) {
            throw new IllegalArgumentException("TasBatch: " + queries.batchSize() + " queries need " + 2 * queries.batchSize()
                    + " passages (positives then negatives), got " + passages.batchSize());
        }
        if ((colbertQueries == null) != (colbertPassages == null)) {
            throw new IllegalArgumentException("TasBatch: ColBERT inputs need both queries and passages");
        }
    }
}
