package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ranker4j eval} end to end, in-process, on small files. */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path qrels;
    Path run;
    Path worse;

    @BeforeEach
    void writeFiles() throws Exception {
        qrels = Files.writeString(dir.resolve("qrels.txt"), "q1 0 d1 2\nq1 0 d2 1\nq2 0 d3 1\nq2 0 d9 0\nq3 0 d5 1\n");
        run = Files.writeString(dir.resolve("run.txt"),
                "q1 Q0 d2 1 2.0 a\nq1 Q0 d1 2 1.0 a\nq2 Q0 d3 1 1.0 a\nq2 Q0 d4 2 0.5 a\nq3 Q0 d5 1 3 a\nunjudged Q0 x 1 1 a\n");
        worse = Files.writeString(dir.resolve("worse.txt"),
                "q1 Q0 d9 1 2.0 b\nq1 Q0 d1 2 1.0 b\nq2 Q0 d4 1 1.0 b\nq2 Q0 d3 2 0.5 b\nq3 Q0 d6 1 3 b\n");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void printsATableAndAJsonLineWithTrecEvalValues() throws Exception {
        CliRun result = CliRun.of("eval", "--qrels", qrels.toString(), "--run", run.toString(),
                "--metrics", "ndcg@10,mrr@10,recall@1,p@1", "--rel-threshold", "2");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode json = JSON.readTree(result.lastLine());
        // q1: d2 (grade 1) above d1 (grade 2); q2 and q3 rank their only relevant doc first.
        double ndcgQ1 = (1 + 2 / log2(3)) / (2 + 1 / log2(3));
        assertEquals((ndcgQ1 + 1 + 1) / 3, json.get("ndcg@10").asDouble(), 1e-12);
        // With grade >= 2 only q1's d1 (rank 2) is relevant; q2, q3 have no relevant document and score 0.
        assertEquals((0.5 + 0 + 0) / 3, json.get("mrr@10").asDouble(), 1e-12);
        assertEquals(0.0, json.get("recall@1").asDouble(), 1e-12);
        assertEquals(0.0, json.get("p@1").asDouble(), 1e-12);
        assertEquals(3, json.get("num_q").asInt()); // the run's unjudged query is ignored
        assertTrue(result.out().contains(String.format(java.util.Locale.ROOT, "%.4f", (ndcgQ1 + 2) / 3)),
                result.out());
    }

    @Test
    void perQueryAndCompleteQueries() throws Exception {
        Path partial = Files.writeString(dir.resolve("partial.txt"), "q1 Q0 d1 1 1 a\n");
        CliRun byDefault = CliRun.of("eval", "--qrels", qrels.toString(), "--run", partial.toString(),
                "--metrics", "map", "--per-query");
        CliRun complete = CliRun.of("eval", "--qrels", qrels.toString(), "--run", partial.toString(),
                "--metrics", "map", "-c");
        assertEquals(0, byDefault.exitCode(), byDefault.err());
        assertTrue(byDefault.out().contains("map\tq1\t0.5000"), byDefault.out());
        assertEquals(0.5, JSON.readTree(byDefault.lastLine()).get("map").asDouble(), 1e-12);
        assertEquals(0.5 / 3, JSON.readTree(complete.lastLine()).get("map").asDouble(), 1e-12);
        assertEquals(3, JSON.readTree(complete.lastLine()).get("num_q").asInt());
    }

    @Test
    void comparesTwoRunsWithBothTests() throws Exception {
        for (String test : new String[] {"ttest", "randomization"}) {
            CliRun result = CliRun.of("eval", "--qrels", qrels.toString(), "--run", run.toString(),
                    "--compare", worse.toString(), "--test", test, "--metrics", "ndcg@10,mrr", "--trials", "500");
            assertEquals(0, result.exitCode(), result.err());
            JsonNode json = JSON.readTree(result.lastLine());
            assertEquals(test, json.get("test").asText());
            assertTrue(json.get("run").get("ndcg@10").asDouble() > json.get("compare").get("ndcg@10").asDouble());
            double p = json.get("p_value").get("mrr").asDouble();
            assertTrue(p > 0 && p <= 1, result.out());
        }
    }

    @Test
    void badInputIsOneClearLineAndANonZeroExit() throws Exception {
        CliRun missing = CliRun.of("eval", "--qrels", qrels.toString(), "--run", dir.resolve("nope.txt").toString());
        assertEquals(1, missing.exitCode());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("nope.txt: no such file"), missing.err());

        Path broken = Files.writeString(dir.resolve("broken.txt"), "q1 Q0 d1 1 1.0 a\nq1 Q0 d2 x 0.5 a\n");
        CliRun malformed = CliRun.of("eval", "--qrels", qrels.toString(), "--run", broken.toString());
        assertEquals(1, malformed.exitCode());
        assertTrue(malformed.err().contains("broken.txt:2: field 'rank'"), malformed.err());

        CliRun metric = CliRun.of("eval", "--qrels", qrels.toString(), "--run", run.toString(), "--metrics", "bleu");
        assertEquals(1, metric.exitCode());
        assertTrue(metric.err().contains("unknown metric 'bleu'"), metric.err());

        CliRun usage = CliRun.of("eval", "--run", run.toString());
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().contains("Missing required option: '--qrels=FILE'"), usage.err());
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun help = CliRun.of("eval", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--rel-threshold"), help.out());
        assertTrue(help.out().contains("--compare"), help.out());
    }

    @Test
    void trecDl2019Bm25GivesTheKnownNdcg() throws Exception {
        Path dl19 = SharedData.require("data/trec-dl-2019-passage");
        CliRun result = CliRun.of("eval", "--qrels", dl19.resolve("qrels.dl19-passage.txt").toString(),
                "--run", dl19.resolve("BM25/trec_results_dl19.txt").toString(), "-l", "2");
        assertEquals(0, result.exitCode(), result.err());
        // trec_eval -l 2: ndcg_cut_10 0.5058, recip_rank (-M 10) 0.7024, recall_100 0.4910, map 0.2476
        assertTrue(result.out().contains("ndcg@10          0.5058"), result.out());
        assertTrue(result.out().contains("mrr@10           0.7024"), result.out());
        assertTrue(result.out().contains("recall@100       0.4910"), result.out());
        assertTrue(result.out().contains("map              0.2476"), result.out());
    }
}
