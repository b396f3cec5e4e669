package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands the experiments are built from, end to end on the built-in sample: {@code split-qrels},
 * {@code rerank --qrels --include-judged}, {@code fuse}, {@code mine-negatives --negatives-from corpus} and
 * {@code train --until} followed by {@code --resume}.
 */
class RunToolsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path sample;
    Path qrels;
    Path run;
    Path model;

    @BeforeEach
    void files() throws Exception {
        sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        qrels = sample.resolve("qrels/test.tsv");
        run = TinyModels.sampleRun(dir.resolve("run.trec"));
        model = TinyModels.crossEncoder(Files.createDirectory(dir.resolve("model")));
    }

    private static CliRun ok(String... args) {
        CliRun result = CliRun.of(args);
        assertEquals(0, result.exitCode(), result.err());
        return result;
    }

    @Test
    void splitQrelsHoldsOutDisjointQueriesAndRefusesToOverwriteItsInput() {
        ok("split-qrels", "--qrels", qrels.toString(), "--held-out-fraction", "0.3", "--seed", "1",
                "--kept", dir.resolve("kept.qrels").toString(), "--held-out", dir.resolve("dev.qrels").toString());
        Qrels all = Qrels.read(qrels), kept = Qrels.read(dir.resolve("kept.qrels")), dev = Qrels.read(dir.resolve("dev.qrels"));
        assertEquals(3, dev.size());
        assertEquals(all.size(), kept.size() + dev.size());
        Set<String> both = new HashSet<>(kept.queryIds());
        both.retainAll(dev.queryIds());
        assertTrue(both.isEmpty());
        CliRun refused = CliRun.of("split-qrels", "--qrels", qrels.toString(), "--kept", qrels.toString(), "--held-out",
                dir.resolve("x.qrels").toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("is the input --qrels"), refused.err()); // OutputPaths: every command alike
    }

    @Test
    void rerankRestrictsToJudgedQueriesAndCanAddTheirPositives() throws Exception {
        ok("split-qrels", "--qrels", qrels.toString(), "--held-out-fraction", "0.3", "--kept", dir.resolve("kept.qrels").toString(),
                "--held-out", dir.resolve("dev.qrels").toString());
        Path dev = dir.resolve("dev.qrels");
        ok("rerank", "--model", model.toString(), "--run", run.toString(), "--qrels", dev.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--depth", "3", "--max-length", "32", "--output", dir.resolve("dev.trec").toString(), "--quiet");
        Run reranked = Run.readTrec(dir.resolve("dev.trec"));
        assertEquals(Qrels.read(dev).queryIds(), reranked.queryIds());
        for (String q : reranked.queryIds()) assertEquals(3, reranked.ranking(q).size());

        ok("rerank", "--model", model.toString(), "--run", run.toString(), "--qrels", dev.toString(), "--include-judged",
                "--queries", sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--depth", "3", "--max-length", "32", "--output", dir.resolve("dev-judged.trec").toString(), "--quiet");
        Run withJudged = Run.readTrec(dir.resolve("dev-judged.trec"));
        Qrels judged = Qrels.read(dev);
        for (String q : withJudged.queryIds()) {
            Set<String> docs = new HashSet<>();
            withJudged.ranking(q).forEach(d -> docs.add(d.docId()));
            for (var j : judged.judgments(q).entrySet()) if (j.getValue() >= 1) assertTrue(docs.contains(j.getKey()), q + " " + j.getKey());
            Set<String> top3 = new HashSet<>();
            Run.readTrec(run).ranking(q).subList(0, 3).forEach(d -> top3.add(d.docId()));
            assertTrue(docs.containsAll(top3));
        }
    }

    @Test
    void fuseTunesItsWeightOnHeldOutQueriesAndWritesAFusedRun() throws Exception {
        Path reversed = dir.resolve("reversed.trec");
        StringBuilder lines = new StringBuilder();
        for (var entry : Run.readTrec(run).entries("rev")) {
            lines.append(entry.queryId()).append(" Q0 ").append(entry.docId()).append(" 1 ").append(-entry.score()).append(" rev\n");
        }
        Files.writeString(reversed, lines);
        CliRun fused = ok("fuse", "--a", run.toString(), "--b", reversed.toString(), "--tune-qrels", qrels.toString(),
                "--tune-a", run.toString(), "--tune-b", reversed.toString(), "--output", dir.resolve("fused.trec").toString());
        JsonNode summary = JSON.readTree(fused.lastLine());
        assertTrue(summary.get("alpha").asDouble() >= 0 && summary.get("alpha").asDouble() <= 1);
        assertEquals(10, Run.readTrec(dir.resolve("fused.trec")).size());
        CliRun given = ok("fuse", "--a", run.toString(), "--b", reversed.toString(), "--alpha", "1", "--output",
                dir.resolve("a.trec").toString());
        assertEquals(1.0, JSON.readTree(given.lastLine()).get("alpha").asDouble());
        assertEquals(Run.readTrec(run).ranking("q1").getFirst().docId(), Run.readTrec(dir.resolve("a.trec")).ranking("q1").getFirst().docId());
        CliRun overwrite = CliRun.of("fuse", "--a", run.toString(), "--b", reversed.toString(), "--alpha", "0.5", "--output", run.toString());
        assertEquals(1, overwrite.exitCode());
        assertTrue(overwrite.err().contains("is the input --a"), overwrite.err()); // OutputPaths: every command alike
        CliRun neither = CliRun.of("fuse", "--a", run.toString(), "--b", reversed.toString(), "--output", dir.resolve("n.trec").toString());
        assertEquals(1, neither.exitCode());
    }

    @Test
    void randomNegativesComeFromTheWholeCorpus() throws Exception {
        Path out = dir.resolve("random.jsonl");
        ok("mine-negatives", "--sampler", "lce", "--negatives-from", "corpus", "--qrels", qrels.toString(), "--negatives", "5",
                "--tokenizer", model.toString(), "--queries", sample.resolve("queries.jsonl").toString(),
                "--corpus", sample.resolve("corpus.jsonl").toString(), "--output", out.toString());
        long lines;
        try (var stream = Files.lines(out)) {
            lines = stream.count();
        }
        assertEquals(Qrels.read(qrels).size(), lines);
        CliRun withRun = CliRun.of("mine-negatives", "--sampler", "lce", "--negatives-from", "corpus", "--run", run.toString(),
                "--qrels", qrels.toString(), "--tokenizer", model.toString(), "--queries", sample.resolve("queries.jsonl").toString(),
                "--corpus", sample.resolve("corpus.jsonl").toString(), "--output", dir.resolve("x.jsonl").toString());
        assertEquals(1, withRun.exitCode());
        assertTrue(withRun.err().contains("--run and --index are not used"), withRun.err());
    }

    @Test
    void trainUntilStopsWhereAResumeContinuesTheSameSchedule() throws Exception {
        Path grouped = dir.resolve("groups.jsonl");
        ok("mine-negatives", "--sampler", "lce", "--run", run.toString(), "--qrels", qrels.toString(), "--negatives", "5",
                "--depth", "20", "--tokenizer", model.toString(), "--queries", sample.resolve("queries.jsonl").toString(),
                "--corpus", sample.resolve("corpus.jsonl").toString(), "--output", grouped.toString());
        String config = """
                {"model": {"init": "%s", "seed": 3, "layers": 1},
                 "objective": {"name": "lce", "group_size": 4},
                 "data": {"format": "reranker-grouped", "path": "%s", "max_length": 32},
                 "sampler": {"queries_per_batch": 2, "seed": 2},
                 "optimizer": {"name": "adamw", "lr": 1e-3},
                 "schedule": {"steps": 4, "warmup_steps": 1, "log_every": 1},
                 "output": "%s"}""";
        Path parts = dir.resolve("parts.json"), whole = dir.resolve("whole.json");
        Files.writeString(parts, config.formatted(model, grouped, dir.resolve("out-parts")));
        Files.writeString(whole, config.formatted(model, grouped, dir.resolve("out-whole")));
        ok("train", parts.toString(), "--until", "2", "--no-progress");
        assertTrue(Files.isDirectory(dir.resolve("out-parts/checkpoint-2")));
        assertFalse(Files.exists(dir.resolve("out-parts/checkpoint-4")));
        CliRun resumed = ok("train", parts.toString(), "--resume", dir.resolve("out-parts/checkpoint-2").toString(), "--no-progress");
        CliRun single = ok("train", whole.toString(), "--no-progress");
        assertEquals(JSON.readTree(single.lastLine()).get("last_loss"), JSON.readTree(resumed.lastLine()).get("last_loss"));
        assertEquals(Files.readAllLines(dir.resolve("out-whole/train_log.jsonl")).size(),
                Files.readAllLines(dir.resolve("out-parts/train_log.jsonl")).size(), "each step logged once");
        CliRun beyond = CliRun.of("train", whole.toString(), "--until", "9", "--no-progress");
        assertEquals(1, beyond.exitCode());
    }
}
