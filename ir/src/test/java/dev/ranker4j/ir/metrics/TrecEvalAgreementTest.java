package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;
import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our figures on the real TREC DL 2019 BM25 run against trec_eval's. Every expected value below was printed by
 * trec_eval built from usnistgov/trec_eval (tag v9.0.8, and again at 10.0-rc3 commit f4253652, which agree) with gcc
 * in /tmp, on ../shared/data/trec-dl-2019-passage/{qrels.dl19-passage.txt, BM25/trec_results_dl19.txt}; the command
 * is next to each value. trec_eval prints 4 decimals, so we compare our value rounded to 4 decimals as a string.
 */
class TrecEvalAgreementTest {
    private static final String DL19 = "data/trec-dl-2019-passage/";

    private static Evaluation evaluate(int threshold, boolean complete, Run run, String... metrics) {
        Qrels qrels = Qrels.read(SharedData.require(DL19 + "qrels.dl19-passage.txt"));
        List<Metric> parsed = java.util.Arrays.stream(metrics).map(Metric::parse).toList();
        return new Evaluator(qrels, parsed, threshold, complete).evaluate(run);
    }

    private static Run bm25() {
        return Run.readTrec(SharedData.require(DL19 + "BM25/trec_results_dl19.txt"));
    }

    private static void assertPrints(String expected, double actual) {
        assertEquals(expected, String.format(Locale.ROOT, "%.4f", actual));
    }

    @Test
    void bm25NdcgAt10Is0_5058() {
        // trec_eval -m ndcg_cut.10 qrels run  ->  0.5058 (same with -l 2: nDCG uses the grades, not the threshold)
        Evaluation evaluation = evaluate(1, false, bm25(), "ndcg@10");
        assertEquals(43, evaluation.numQueries());
        assertPrints("0.5058", evaluation.mean(Metric.parse("ndcg@10")));
        assertPrints("0.5058", evaluate(2, false, bm25(), "ndcg@10").mean(Metric.parse("ndcg@10")));
    }

    @Test
    void bm25BinaryMetricsWithTrecDlThresholdOfTwo() {
        Evaluation evaluation = evaluate(2, false, bm25(), "mrr@10", "recall@100", "map", "p@10", "map@10",
                "ndcg@100");
        assertPrints("0.7024", evaluation.mean(Metric.parse("mrr@10")));     // trec_eval -l 2 -M 10 -m recip_rank
        assertPrints("0.4910", evaluation.mean(Metric.parse("recall@100"))); // trec_eval -l 2 -m recall.100
        assertPrints("0.2476", evaluation.mean(Metric.parse("map")));        // trec_eval -l 2 -m map
        assertPrints("0.4116", evaluation.mean(Metric.parse("p@10")));       // trec_eval -l 2 -m P.10
        assertPrints("0.1272", evaluation.mean(Metric.parse("map@10")));     // trec_eval -l 2 -m map_cut.10
        assertPrints("0.5018", evaluation.mean(Metric.parse("ndcg@100")));   // trec_eval -l 2 -m ndcg_cut.100
    }

    @Test
    void bm25BinaryMetricsWithTrecEvalDefaultThresholdOfOne() {
        Evaluation evaluation = evaluate(1, false, bm25(), "mrr", "mrr@10", "recall@100", "map", "p@10", "ndcg");
        assertPrints("0.8245", evaluation.mean(Metric.parse("mrr")));        // trec_eval -m recip_rank
        assertPrints("0.8233", evaluation.mean(Metric.parse("mrr@10")));     // trec_eval -M 10 -m recip_rank
        assertPrints("0.4531", evaluation.mean(Metric.parse("recall@100"))); // trec_eval -m recall.100
        assertPrints("0.2993", evaluation.mean(Metric.parse("map")));        // trec_eval -m map
        assertPrints("0.6186", evaluation.mean(Metric.parse("p@10")));       // trec_eval -m P.10
        assertPrints("0.4602", evaluation.mean(Metric.parse("ndcg")));       // trec_eval -m ndcg
    }

    @Test
    void perQueryValuesMatchTrecEvalDashQ() {
        Evaluation ndcg = evaluate(1, false, bm25(), "ndcg@10");
        // trec_eval -q -m ndcg_cut.10: first queries in its (strcmp) order
        assertEquals(List.of("1037798", "104861", "1063750", "1103812"), ndcg.queryIds().subList(0, 4));
        assertPrints("0.3057", ndcg.value(Metric.parse("ndcg@10"), "1037798"));
        assertPrints("0.8238", ndcg.value(Metric.parse("ndcg@10"), "104861"));
        assertPrints("0.0000", ndcg.value(Metric.parse("ndcg@10"), "1063750"));
        assertPrints("0.6520", ndcg.value(Metric.parse("ndcg@10"), "1103812"));
        Evaluation map = evaluate(2, false, bm25(), "map");  // trec_eval -q -l 2 -m map
        assertPrints("0.2099", map.value(Metric.parse("map"), "1037798"));
        assertPrints("0.1893", map.value(Metric.parse("map"), "104861"));
        assertPrints("0.0014", map.value(Metric.parse("map"), "1063750"));
    }

    @Test
    void aQueryMissingFromTheRunIsSkippedByDefaultAndScoresZeroWithComplete() {
        // The BM25 run without query 264014 (grep -v '^264014 '):
        // trec_eval 9.0.8 -m ndcg_cut.10 -> 0.5054 over 42 queries; trec_eval -c -m ndcg_cut.10 -> 0.4936 over 43.
        List<RunEntry> entries = bm25().entries("bm25").stream().filter(e -> !e.queryId().equals("264014")).toList();
        Run missingOne = Run.of(entries);
        Evaluation byDefault = evaluate(1, false, missingOne, "ndcg@10");
        Evaluation complete = evaluate(1, true, missingOne, "ndcg@10");
        assertEquals(42, byDefault.numQueries());
        assertEquals(43, complete.numQueries());
        assertPrints("0.5054", byDefault.mean(Metric.parse("ndcg@10")));
        assertPrints("0.4936", complete.mean(Metric.parse("ndcg@10")));
        assertEquals(0.0, complete.value(Metric.parse("ndcg@10"), "264014"));
    }

    @Test
    void theRankLlmJsonIsTheSameRun() {
        Path json = SharedData.require(DL19 + "BM25/retrieve_results_dl19.json");
        List<RunEntry> entries;
        try (var queries = dev.ranker4j.ir.data.RankLlmFormat.read(json)) {
            entries = queries.flatMap(q -> q.hits().stream()
                    .map(h -> new RunEntry(q.query().id(), h.docId(), h.rank(), h.score(), "bm25"))).toList();
        }
        Evaluation fromJson = evaluate(1, false, Run.of(entries), "ndcg@10");
        assertPrints("0.5058", fromJson.mean(Metric.parse("ndcg@10")));
    }
}
