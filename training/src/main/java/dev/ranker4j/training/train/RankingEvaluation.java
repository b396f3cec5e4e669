package dev.ranker4j.training.train;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseRetrieval;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.RunReranker;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextEncoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation hooks that measure the model being trained on held-out judged queries with trec_eval's metrics
 * ({@link Evaluator}): a re-ranker re-scores a first-stage run's top {@code depth}; a retriever encodes the corpus and
 * the queries and searches exactly. Only queries that have both a text and judgments take part.
 */
public final class RankingEvaluation {
    /** Texts (or pairs) per forward pass of an evaluation: a scorer's batch size, and the corpus encoder's. */
    public static final int BATCH_SIZE = 32;

    private RankingEvaluation() {}

    /** Re-ranks {@code firstStage}'s top {@code depth} per judged query with {@code scorer}, then evaluates. */
    public static EvaluationHook reranking(PairScorer scorer, Run firstStage, int depth, Map<String, String> queries,
                                           Map<String, String> documents, Evaluator evaluator) {
        Run judged = restrict(firstStage, judgedQueries(queries, evaluator).keySet());
        RunReranker reranker = new RunReranker(scorer, depth);
        return step -> evaluator.evaluate(reranker.rerank(judged, queries, documents, Progress.NONE)).means();
    }

    /**
     * Encodes every document with {@code passages} and every judged query with {@code queries} (both truncated to
     * {@code maxLength} tokens), searches the top {@code k} exactly by {@code similarity}, then evaluates.
     */
    public static EvaluationHook denseRetrieval(TextEncoder queries, TextEncoder passages, Similarity similarity,
                                                int maxLength, int k, Map<String, String> queryTexts,
                                                Map<String, String> documents, Evaluator evaluator) {
        Map<String, String> judged = judgedQueries(queryTexts, evaluator);
        ExactSearch search = ExactSearch.withAllProcessors();
        return step -> {
            DenseVectors docs = new CorpusEncoder(passages, maxLength, BATCH_SIZE, Integer.MAX_VALUE, false)
                    .encode(new ArrayList<>(documents.keySet()), new ArrayList<>(documents.values()), null, Progress.NONE);
            DenseVectors qs = new CorpusEncoder(queries, maxLength, BATCH_SIZE, Integer.MAX_VALUE, false)
                    .encode(new ArrayList<>(judged.keySet()), new ArrayList<>(judged.values()), null, Progress.NONE);
            Run run = DenseRetrieval.toRun(qs, docs, search.search(qs, docs, Math.min(k, docs.size()), similarity));
            return evaluator.evaluate(run).means();
        };
    }

    /** The rankings of {@code queryIds} only. */
    private static Run restrict(Run run, java.util.Set<String> queryIds) {
        Run restricted = run.restrictedTo(queryIds);
        if (restricted.size() == 0) throw new IllegalArgumentException("evaluation: the run has no judged query with a text");
        return restricted;
    }

    private static Map<String, String> judgedQueries(Map<String, String> queryTexts, Evaluator evaluator) {
        Qrels qrels = evaluator.qrels();
        Map<String, String> judged = new LinkedHashMap<>();
        queryTexts.forEach((id, text) -> {
            if (qrels.queryIds().contains(id)) judged.put(id, text);
        });
        if (judged.isEmpty()) throw new IllegalArgumentException("evaluation: no query with a text is judged in the qrels");
        return judged;
    }
}
