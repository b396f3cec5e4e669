package dev.ranker4j.training.train;

import dev.ranker4j.transformer.bert.BertInput;

/**
 * Groups for ColBERT: row r of {@code queries} and row r of {@code documents} are one (query, passage) pair, in
 * groups of {@code groupSize} rows per query with the positive first (the query repeated on each of its rows).
 *
 * @param queries   [rows, N_q] ColBERT query inputs ([CLS] [Q] q … [MASK] padding)
 * @param documents [rows, N_d] ColBERT document inputs ([CLS] [D] p … [SEP])
 */
public record ColbertBatch(BertInput queries, BertInput documents, int groupSize) {
    public ColbertBatch {
        if (groupSize < 2 || queries.batchSize() != documents.batchSize() || queries.batchSize() % groupSize != 0) {
            throw new IllegalArgumentException("ColbertBatch: " + queries.batchSize() + " query rows and "
                    + documents.batchSize() + " document rows do not form groups of " + groupSize);
        }
    }

    public int groups() {
        return queries.batchSize() / groupSize;
    }
}
