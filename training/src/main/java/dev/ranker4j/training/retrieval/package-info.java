/**
 * The trained models as retrieval components: a cross-encoder or ColBERT model as a
 * {@link dev.ranker4j.ir.retrieval.PairScorer}, the two towers of a dual encoder as
 * {@link dev.ranker4j.ir.retrieval.TextEncoder}s. The retrieval machinery itself (corpus encoding, vector files, exact
 * search, reranking a run) needs no deep learning and lives in the {@code ir} module.
 */
package dev.ranker4j.training.retrieval;
