/**
 * {@code ranker4j serve}: a {@link dev.ranker4j.api.Reranker} or {@link dev.ranker4j.api.Embedder} behind an HTTP
 * server with text-embeddings-inference's routes and shapes ({@link dev.ranker4j.server.RankerServer}), dynamic
 * batching on a bounded queue ({@link dev.ranker4j.server.Batcher}) and Prometheus metrics. docs/API.md describes it.
 */
package dev.ranker4j.server;
