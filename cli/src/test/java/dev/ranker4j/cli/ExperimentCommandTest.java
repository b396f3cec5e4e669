package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ranker4j experiment} end to end on the built-in 10-query sample with a tiny random cross-encoder: preparation
 * steps, training with dev evaluation, test re-ranking, result JSON, skipping finished runs, resuming an interrupted
 * run to the same result as an uninterrupted one, and the report.
 */
class ExperimentCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path experiments;

    @BeforeEach
    void layout() throws Exception {
        Path sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        TinyModels.sampleRun(sample.resolve("run.trec"));
        TinyModels.crossEncoder(Files.createDirectory(dir.resolve("model")));
        experiments = Files.createDirectory(dir.resolve("experiments"));
        Files.writeString(experiments.resolve("steps.json"), """
                {"vars": {"data": "%s", "model": "%s", "work": "%s"},
                 "steps": {
                   "split": {"outputs": ["${work}/train.qrels", "${work}/dev.qrels"],
                             "args": ["split-qrels", "--qrels", "${data}/qrels/test.tsv", "--held-out-fraction", "0.3",
                                      "--kept", "${work}/train.qrels", "--held-out", "${work}/dev.qrels"]},
                   "groups": {"needs": ["split"], "outputs": ["${work}/groups.jsonl"],
                              "args": ["mine-negatives", "--sampler", "lce", "--run", "${data}/run.trec",
                                       "--qrels", "${work}/train.qrels", "--tokenizer", "${model}",
                                       "--queries", "${data}/queries.jsonl", "--corpus", "${data}/corpus.jsonl",
                                       "--negatives", "5", "--depth", "20", "--output", "${work}/groups.jsonl"]}}}
                """.formatted(sample, dir.resolve("model"), dir.resolve("work")));
        Path e9 = Files.createDirectory(experiments.resolve("E9"));
        Files.writeString(e9.resolve("b-lce.json"), """
                {"experiment": "E9", "variant": "b-lce", "label": "LCE", "seeds": [1],
                 "needs": ["groups"],
                 "train": {
                   "model": {"init": "${model}", "seed": "${seed}"},
                   "objective": {"name": "lce", "group_size": 4},
                   "data": {"format": "reranker-grouped", "path": "${work}/groups.jsonl", "max_length": 32},
                   "sampler": {"queries_per_batch": 2, "seed": "${seed}"},
                   "optimizer": {"name": "adamw", "lr": 1e-3},
                   "schedule": {"steps": 4, "warmup_steps": 1, "log_every": 1, "checkpoint_every": 2},
                   "evaluation": {"every_steps": 2, "qrels": "${work}/dev.qrels", "queries": "${data}/queries.jsonl",
                                  "corpus": "${data}/corpus.jsonl", "run": "${data}/run.trec", "rerank_depth": 20,
                                  "max_length": 32, "keep_best": "ndcg@10"}},
                 "after": [{"outputs": ["${run}/test.trec"],
                            "args": ["rerank", "--model", "${run}/best-checkpoint", "--run", "${data}/run.trec",
                                     "--qrels", "${work}/dev.qrels", "--queries", "${data}/queries.jsonl",
                                     "--corpus", "${data}/corpus.jsonl", "--depth", "20", "--max-length", "32",
                                     "--output", "${run}/test.trec", "--quiet"]}],
                 "evaluate": {"qrels": "${work}/dev.qrels", "metrics": ["ndcg@10", "mrr@10"],
                              "runs": [{"name": "sample", "run": "${run}/test.trec", "first_stage": "${data}/run.trec"}]}}
                """);
        Files.writeString(e9.resolve("a-bce.json"), """
                {"extends": "b-lce.json", "variant": "a-bce", "label": "BCE", "seeds": [1, 2],
                 "train": {"objective": {"name": "bce"}}}
                """);
        Files.writeString(e9.resolve("report.json"), """
                {"title": "E9", "rows": ["a-bce", "b-lce"], "compare": [["b-lce", "a-bce"]]}
                """);
    }

    private CliRun experiment(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "experiment";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--experiments";
        all[args.length + 2] = experiments.toString();
        CliRun run = CliRun.of(all);
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    private JsonNode result(String name) throws Exception {
        return JSON.readTree(experiments.resolve("results/E9").resolve(name + ".json").toFile());
    }

    @Test
    void runsListsSkipsResumesAndReports() throws Exception {
        // Seed-major order: every variant's first seed first.
        assertEquals(List.of("a-bce.json 1", "b-lce.json 1", "a-bce.json 2"), experiment("list", "E9").out().lines()
                .map(l -> Path.of(l.split(" ")[0]).getFileName() + " " + l.split(" ")[1]).toList());

        experiment("run", experiments.resolve("E9/b-lce.json").toString(), "--seed", "1");
        JsonNode lce = result("b-lce-s1");
        assertEquals("b-lce", lce.get("variant").asText());
        assertEquals(4, lce.at("/train/steps").asLong());
        assertEquals(2, lce.at("/train/dev_curve").size(), "dev evaluations at steps 2 and 4");
        JsonNode sample = lce.at("/test/sample");
        double ndcg = sample.at("/metrics/ndcg@10").asDouble();
        assertTrue(ndcg >= 0 && ndcg <= 1);
        assertEquals(sample.at("/metrics/queries").asInt(), sample.at("/per_query/ndcg@10").size());
        assertTrue(sample.has("first_stage") && sample.has("first_stage_per_query"));
        assertTrue(lce.at("/steps/after[0]/run_lines").asLong() > 0, "the test command's pairs are counted");
        assertTrue(lce.get("wall_seconds").get("total").asDouble() > 0);
        assertNotEquals("", lce.get("git_commit").asText());
        // A finished run is skipped; the finished run keeps only its last checkpoint besides the best one.
        assertTrue(experiment("run", experiments.resolve("E9/b-lce.json").toString(), "--seed", "1").out().contains("done"));
        Path runDir = dir.resolve("work/E9/b-lce-s1");
        assertTrue(Files.isDirectory(runDir.resolve("checkpoint-4")) && Files.isDirectory(runDir.resolve("best-checkpoint")));
        assertFalse(Files.exists(runDir.resolve("checkpoint-2")));

        // The same variant run in two parts (stopped after step 2, then resumed) ends where the single run did.
        experiment("run", experiments.resolve("E9/a-bce.json").toString(), "--seed", "1", "--interrupt-after", "2");
        assertFalse(Files.exists(experiments.resolve("results/E9/a-bce-s1.json")), "an interrupted run has no result");
        experiment("run", experiments.resolve("E9/a-bce.json").toString(), "--seed", "1");
        JsonNode resumed = result("a-bce-s1");
        assertEquals(2, resumed.at("/train/parts").asInt());
        assertEquals(4, resumed.at("/train/steps").asLong());
        Files.move(experiments.resolve("results/E9/a-bce-s1.json"), dir.resolve("resumed.json"));
        deleteTree(dir.resolve("work/E9/a-bce-s1"));
        experiment("run", experiments.resolve("E9/a-bce.json").toString(), "--seed", "1");
        JsonNode whole = result("a-bce-s1");
        assertEquals(1, whole.at("/train/parts").asInt());
        assertEquals(whole.at("/test/sample/per_query"), resumed.at("/test/sample/per_query"));
        assertEquals(whole.at("/train/dev_curve"), resumed.at("/train/dev_curve"));
        assertEquals(whole.at("/train/last_loss"), resumed.at("/train/last_loss"));

        experiment("run", experiments.resolve("E9/a-bce.json").toString(), "--seed", "2");
        String report = experiment("report", "E9").out();
        assertTrue(report.contains("| BCE | 2 |") && report.contains("| LCE | 1 |"), report);
        assertTrue(report.contains("LCE vs BCE"), report);
        assertTrue(Files.isRegularFile(experiments.resolve("results/E9/summary.md")));
        assertTrue(Files.readString(experiments.resolve("results/E9/curves.svg")).startsWith("<svg"));
    }

    @Test
    void reproducesOneFigureWithoutTheCommandsOnlyOthersNeed() throws Exception {
        Path steps = experiments.resolve("steps.json");
        Files.writeString(steps, Files.readString(steps).replace("\"steps\": {", """
                "steps": {
                   "other-split": {"outputs": ["${work}/other.qrels", "${work}/other-dev.qrels"],
                             "args": ["split-qrels", "--qrels", "${data}/qrels/test.tsv", "--held-out-fraction", "0.5",
                                      "--kept", "${work}/other.qrels", "--held-out", "${work}/other-dev.qrels"]},"""));
        Files.writeString(experiments.resolve("E9/e-two.json"), """
                {"extends": "b-lce.json", "variant": "e-two", "needs": ["groups", "other-split"],
                 "after": [{"outputs": ["${run}/test.trec"],
                            "args": ["rerank", "--model", "${run}/best-checkpoint", "--run", "${data}/run.trec",
                                     "--queries", "${data}/queries.jsonl", "--corpus", "${data}/corpus.jsonl",
                                     "--depth", "20", "--max-length", "32", "--output", "${run}/test.trec", "--quiet"]},
                           {"outputs": ["${run}/other.trec"],
                            "args": ["rerank", "--model", "${run}/best-checkpoint", "--run", "${data}/run.trec",
                                     "--qrels", "${work}/other.qrels", "--queries", "${data}/queries.jsonl",
                                     "--corpus", "${data}/corpus.jsonl", "--depth", "5", "--max-length", "32",
                                     "--output", "${run}/other.trec", "--quiet"]}],
                 "evaluate": {"qrels": "${work}/dev.qrels", "metrics": ["ndcg@10"],
                              "runs": [{"name": "sample", "run": "${run}/test.trec", "first_stage": "${data}/run.trec"},
                                       {"name": "other", "run": "${run}/other.trec"}]}}
                """);
        String config = experiments.resolve("E9/e-two.json").toString();
        CliRun committedOnly = CliRun.of("experiment", "run", config, "--seed", "1", "--only", "sample",
                "--experiments", experiments.toString());
        assertEquals(1, committedOnly.exitCode());
        assertTrue(committedOnly.err().contains("--only needs --reproduce"), committedOnly.err());
        CliRun unknown = CliRun.of("experiment", "run", config, "--seed", "1", "--reproduce", "--only", "nothing",
                "--experiments", experiments.toString());
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("nothing") && unknown.err().contains("[sample, other]"), unknown.err());

        String out = experiment("run", config, "--seed", "1", "--reproduce", "--only", "sample").out();
        Path work = dir.resolve("work-reproduce");
        JsonNode result = JSON.readTree(work.resolve("results/E9/e-two-s1.json").toFile());
        assertEquals(1, result.get("test").size(), result.get("test").toString());
        assertTrue(result.get("test").has("sample"), result.get("test").toString());
        assertTrue(Files.isRegularFile(work.resolve("E9/e-two-s1/test.trec")));
        assertFalse(Files.exists(work.resolve("E9/e-two-s1/other.trec")), "the other figure's re-ranking is skipped");
        assertFalse(Files.exists(work.resolve("other.qrels")), "the step only the other figure needs is skipped");
        assertTrue(Files.isRegularFile(work.resolve("groups.jsonl")), "the training data's step runs");
        assertFalse(Files.exists(experiments.resolve("results/E9/e-two-s1.json")), "nothing is written beside the committed results");
        assertTrue(out.contains("no committed result"), out);
    }

    /** A synthetic result of {@code variant} whose test run "pipeline" re-ranks {@code firstStageRun}. */
    private void writeResult(String variant, long seed, String firstStageRun, double[] firstStage, double[] reranked)
            throws Exception {
        var test = JSON.createObjectNode();
        var pipeline = test.putObject("pipeline");
        pipeline.put("run", "runs/" + variant + "/test.trec");
        pipeline.put("first_stage_run", firstStageRun);
        double firstMean = 0, rerankedMean = 0;
        var firstValues = pipeline.putObject("first_stage_per_query").putObject("ndcg@10");
        var values = pipeline.putObject("per_query").putObject("ndcg@10");
        for (int q = 0; q < firstStage.length; q++) {
            firstValues.put("q" + q, firstStage[q]);
            values.put("q" + q, reranked[q]);
            firstMean += firstStage[q] / firstStage.length;
            rerankedMean += reranked[q] / reranked.length;
        }
        pipeline.putObject("first_stage").put("ndcg@10", firstMean);
        pipeline.putObject("metrics").put("ndcg@10", rerankedMean).put("queries", firstStage.length);
        var result = JSON.createObjectNode().put("experiment", "E8").put("variant", variant).put("label", variant).put("seed", seed);
        result.set("test", test);
        Path results = Files.createDirectories(experiments.resolve("results/E8"));
        JSON.writeValue(results.resolve(variant + "-s" + seed + ".json").toFile(), result);
    }

    @Test
    void aReportShowsEachVariantsOwnFirstStageAndTestsAgainstItsSeedAverage() throws Exception {
        Files.createDirectory(experiments.resolve("E8"));
        Files.writeString(experiments.resolve("E8/report.json"), """
                {"title": "E8", "rows": ["a", "b"], "metrics": ["ndcg@10"]}
                """);
        // Variant a: two seeds, each re-ranking its own retriever's run; b re-ranks another retriever.
        writeResult("a", 1, "runs/a-s1/retriever.trec", new double[] {0.2, 0.4, 0.6, 0.8}, new double[] {0.3, 0.5, 0.6, 0.9});
        writeResult("a", 2, "runs/a-s2/retriever.trec", new double[] {0.4, 0.6, 0.8, 1.0}, new double[] {0.5, 0.6, 0.9, 1.0});
        writeResult("b", 1, "runs/b-s1/retriever.trec", new double[] {0.1, 0.1, 0.1, 0.1}, new double[] {0.1, 0.2, 0.3, 0.4});
        String report = experiment("report", "E8").out();
        assertTrue(report.contains("its first stage's ndcg@10 | p vs its first stage"), report);
        assertFalse(report.contains("| first stage ("), "no shared first-stage row when each variant has its own: " + report);
        // a: re-ranked 0.6625 ± sd over seeds; its first stages average 0.6 (0.5 and 0.7); the paired test compares
        // the seed-averaged per-query values, a difference of +0.0625.
        assertTrue(report.contains("| a | 2 | 0.6625 ± 0.1237 | 0.6000 ± 0.1414 | +0.0625: "), report);
        assertTrue(report.contains("| b | 1 | 0.2500 | 0.1000 | +0.1500: "), report);
    }

    @Test
    void badConfigsFailNamingTheFile() throws Exception {
        Path bad = experiments.resolve("E9/c-bad.json");
        Files.writeString(bad, """
                {"extends": "b-lce.json", "variant": "c-bad", "train": {"data": {"path": "${nowhere}/groups.jsonl"}}}
                """);
        CliRun run = CliRun.of("experiment", "run", bad.toString(), "--seed", "1", "--experiments", experiments.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("c-bad.json") && run.err().contains("${nowhere}"), run.err());
        CliRun seed = CliRun.of("experiment", "run", experiments.resolve("E9/b-lce.json").toString(), "--seed", "7",
                "--experiments", experiments.toString());
        assertEquals(1, seed.exitCode());
        assertTrue(seed.err().contains("seed 7"), seed.err());
    }

    private static void deleteTree(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
