/**
 * ranker4j as a library: {@link dev.ranker4j.api.Reranker} scores passages for a query, {@link dev.ranker4j.api.Embedder}
 * turns texts into vectors. Each loads a Hugging Face model directory (or Hub id) in one line and is safe to call
 * from many threads. docs/API.md is the one-page guide; examples/api is a runnable example.
 */
package dev.ranker4j.api;
