/**
 * The first stage on Apache Lucene, as Anserini runs it: BM25 inverted indexes of a corpus (Anserini's default English
 * analysis, k1 = 0.9, b = 0.4) and vector indexes of an encoded corpus (HNSW, int8 scalar-quantized HNSW, or flat for
 * exact search), searched into {@link dev.ranker4j.ir.data.Run}s.
 *
 * <p>Lucene stays in this module: no other module but the command line (and what is built on it) sees it. What this
 * module takes from the rest of ranker4j is small, all of it from {@code ir}:
 * <ul>
 *   <li>{@code ir.data}: {@code BeirFormat}, {@code Document}, {@code Line}, {@code TextLines} (reading corpora),
 *       {@code Run}, {@code ScoredDoc}, {@code TrecEvalOrder} (the runs searches return);</li>
 *   <li>{@code ir.retrieval}: {@code DenseVectors}, {@code Similarity} (vector files), {@code TextEncoder},
 *       {@code CorpusEncoder} (encoding queries), {@code Progress} (progress bars).</li>
 * </ul>
 *
 * <p>Every index directory is written whole into a sibling {@code NAME.partial} and renamed into place
 * ({@link dev.ranker4j.index.IndexDirectories}); its commit carries the settings that built it
 * ({@link dev.ranker4j.index.IndexMetadata}), which every reader checks before searching.
 */
package dev.ranker4j.index;
