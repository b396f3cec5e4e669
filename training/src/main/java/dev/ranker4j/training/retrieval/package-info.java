/**
 * Dense retrieval and re-ranking: encode a corpus with a {@link dev.ranker4j.training.retrieval.TextEncoder}
 * ({@link dev.ranker4j.training.retrieval.CorpusEncoder}: length-bucketed, checkpointed, resumable), store the vectors
 * ({@link dev.ranker4j.training.retrieval.VectorFiles}, docs/VECTORS.md), search them exactly
 * ({@link dev.ranker4j.training.retrieval.ExactSearch}, twin {@link dev.ranker4j.training.retrieval.ReferenceSearch})
 * into a run, and re-rank a run with a {@link dev.ranker4j.training.retrieval.PairScorer}
 * ({@link dev.ranker4j.training.retrieval.RunReranker}).
 */
package dev.ranker4j.training.retrieval;
