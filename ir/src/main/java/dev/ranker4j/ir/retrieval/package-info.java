/**
 * Dense retrieval and re-ranking: encode a corpus with a {@link dev.ranker4j.ir.retrieval.TextEncoder}
 * ({@link dev.ranker4j.ir.retrieval.CorpusEncoder}: length-bucketed, checkpointed, resumable), store the vectors
 * ({@link dev.ranker4j.ir.retrieval.VectorFiles}, docs/VECTORS.md), search them exactly
 * ({@link dev.ranker4j.ir.retrieval.ExactSearch}, twin {@link dev.ranker4j.ir.retrieval.ReferenceSearch})
 * into a run, and re-rank a run with a {@link dev.ranker4j.ir.retrieval.PairScorer}
 * ({@link dev.ranker4j.ir.retrieval.RunReranker}).
 */
package dev.ranker4j.ir.retrieval;
