/**
 * Retrieval and re-ranking data formats: BEIR directories, TREC runs and qrels, MS MARCO TSVs, rank_llm candidate
 * JSON and the Reranker toolkit's pre-tokenized JSON lines and score files.
 *
 * <p>Readers return lazy {@link java.util.stream.Stream}s that read one line (or one JSON element) at a time; close
 * them. {@link dev.ranker4j.ir.data.Run} and {@link dev.ranker4j.ir.data.Qrels} hold a whole run or
 * qrels in memory because evaluation needs random access by query. Every parse error is a
 * {@link dev.ranker4j.ir.data.DataFormatException} naming file, line and field. Every writer goes through
 * {@link dev.ranker4j.files.AtomicFiles}: a temporary file in the target's directory renamed into place.
 */
package dev.ranker4j.ir.data;
