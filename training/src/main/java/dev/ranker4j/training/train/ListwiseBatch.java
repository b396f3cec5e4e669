package dev.ranker4j.training.train;

import dev.ranker4j.transformer.bert.BertInput;

/**
 * RocketQAv2 listwise instances: Q queries, each with a list of L candidate passages (positive first), in the two
 * forms the joint models read.
 *
 * @param queries  [Q, Sq] for the retriever
 * @param passages [Q·L, Sp] for the retriever; row q·L + k is passage k of query q
 * @param pairs    [Q·L, S] (query, passage) pairs for the re-ranker, same order
 * @param listSize L
 */
public record ListwiseBatch(BertInput queries, BertInput passages, BertInput pairs, int listSize) {
    public ListwiseBatch {
        int expected = queries.batchSize() * listSize;
        if (passages.batchSize() != expected || pairs.batchSize() != expected) {
            throw new IllegalArgumentException("ListwiseBatch: " + queries.batchSize() + " queries × " + listSize + " need "
                    + expected + " passages and pairs, got " + passages.batchSize() + " and " + pairs.batchSize());
        }
    }
}
