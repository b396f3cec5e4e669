package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 ("Nothing lost, nothing silently wrong") end to end, one test per case class: outputs that would destroy
 * inputs, a second training run into a used output, silently wrong results (no head, BOM), train configs (unknown
 * keys, nulls, ranges, NaN, resume with another config), unclear errors, leftovers after a kill. Each failure is one
 * line naming the file, option or field, and what was there is unchanged.
 */
class NothingLostTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path encoder, crossEncoder, sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void models() throws Exception {
        encoder = TinyModels.sentenceEncoder(Files.createDirectory(shared.resolve("encoder")));
        crossEncoder = TinyModels.crossEncoder(Files.createDirectory(shared.resolve("cross-encoder")));
        sample = TinyModels.sample(Files.createDirectory(shared.resolve("sample")));
    }

    private static void assertOneLine(CliRun result, String expected) {
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.err().contains(expected), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    // ---- outputs never destroy inputs ---------------------------------------------------------------------------

    @Test
    void encodeIntoItsOwnInputFailsAndTheInputIsUnchanged() throws Exception {
        Path input = Files.copy(sample.resolve("queries.jsonl"), dir.resolve("queries.jsonl"));
        byte[] before = Files.readAllBytes(input);
        assertOneLine(CliRun.of("encode", "--model", encoder.toString(), "--input", input.toString(), "--output",
                input.toString(), "--quiet"), "--output " + input + " is the input --input " + input);
        assertArrayEquals(before, Files.readAllBytes(input));
        // The same file under another name (a hard link) is the same input.
        Path link = Files.createLink(dir.resolve("link.jsonl"), input);
        assertOneLine(CliRun.of("encode", "--model", encoder.toString(), "--input", input.toString(), "--output",
                link.toString(), "--quiet"), "is the input --input");
        assertArrayEquals(before, Files.readAllBytes(input));
    }

    @Test
    void searchRerankConvertAndSplitRefuseToOverwriteTheirInputs() throws Exception {
        Path docs = dir.resolve("docs.vec");
        VectorFiles.write(docs, DenseVectors.of(List.of("p1", "p2"), new float[][] {{1, 0}, {0, 1}}, false));
        byte[] vectors = Files.readAllBytes(docs);
        assertOneLine(CliRun.of("search", "--queries", docs.toString(), "--docs", docs.toString(), "--output",
                docs.toString()), "--output " + docs + " is the input --queries");
        assertArrayEquals(vectors, Files.readAllBytes(docs));

        Path run = TinyModels.sampleRun(dir.resolve("run.trec"));
        byte[] runBytes = Files.readAllBytes(run);
        assertOneLine(CliRun.of("rerank", "--model", crossEncoder.toString(), "--run", run.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--output", run.toString(), "--quiet"), "--output " + run + " is the input --run");
        assertOneLine(CliRun.of("convert", "--from", "trec-run", "--to", "trec-run", run.toString(), run.toString()),
                "OUT " + run + " is the input IN");
        assertArrayEquals(runBytes, Files.readAllBytes(run));

        Path qrels = sample.resolve("qrels/test.tsv");
        assertOneLine(CliRun.of("split-qrels", "--qrels", qrels.toString(), "--kept", dir.resolve("a").toString(),
                "--held-out", dir.resolve("a").toString()), "--held-out");
    }

    // ---- silently wrong results -------------------------------------------------------------------------------

    @Test
    void rerankingWithAnEncoderThatHasNoHeadSaysSoAndHowToGetOne() throws Exception {
        Path run = TinyModels.sampleRun(dir.resolve("run.trec"));
        Path output = dir.resolve("out.trec");
        CliRun result = CliRun.of("rerank", "--kind", "cross_encoder", "--model", encoder.toString(), "--run",
                run.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "--corpus",
                sample.resolve("corpus.jsonl").toString(), "--output", output.toString(), "--quiet");
        assertOneLine(result, encoder + ": has no classification head (classifier.weight, classifier.bias)");
        assertTrue(result.err().contains("train one from this encoder"), result.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void aByteOrderMarkBeforeARunOrQrelsChangesNoMetric() throws Exception {
        Path run = TinyModels.sampleRun(dir.resolve("run.trec"));
        Path qrels = sample.resolve("qrels/test.tsv");
        Path markedRun = Files.writeString(dir.resolve("bom.trec"), "\uFEFF" + Files.readString(run).replace("\n", "\r\n"));
        Path markedQrels = Files.writeString(dir.resolve("bom.tsv"), "\uFEFF" + Files.readString(qrels).replace("\n", "\r\n"));
        CliRun plain = CliRun.of("eval", "--qrels", qrels.toString(), "--run", run.toString());
        CliRun marked = CliRun.of("eval", "--qrels", markedQrels.toString(), "--run", markedRun.toString());
        assertEquals(0, marked.exitCode(), marked.err());
        assertEquals(plain.lastLine(), marked.lastLine());
    }

    @Test
    void encodeRefusesIdsWithWhiteSpaceAndALengthTheModelCannotReadBeforeStarting() throws Exception {
        Path input = Files.writeString(dir.resolve("corpus.jsonl"), "{\"_id\": \"doc 1\", \"text\": \"a b c\"}\n");
        Path output = dir.resolve("out.vec");
        assertOneLine(CliRun.of("encode", "--model", encoder.toString(), "--input", input.toString(), "--output",
                output.toString(), "--quiet"), input + ": id \"doc 1\" contains white space");
        Files.writeString(input, "{\"_id\": \"d1\", \"text\": \"a b c\"}\n");
        assertOneLine(CliRun.of("encode", "--model", encoder.toString(), "--input", input.toString(), "--output",
                output.toString(), "--max-length", "4096", "--quiet"), "--max-length 4096 exceeds the max_position_embeddings 512");
        assertFalse(Files.exists(dev.ranker4j.ir.retrieval.CorpusEncoder.checkpointDirectory(output)), "no .partial left");
    }

    // ---- unclear errors ---------------------------------------------------------------------------------------

    @Test
    void aMissingModelAndAnEmptyRunAreNamed() throws Exception {
        Path output = dir.resolve("out.vec");
        CliRun missing = CliRun.of("encode", "--model", dir.resolve("nowhere").toString(), "--input",
                sample.resolve("queries.jsonl").toString(), "--output", output.toString(), "--quiet");
        assertOneLine(missing, dir.resolve("nowhere") + ": no such model directory");
        Path noConfig = Files.createDirectory(dir.resolve("no-config"));
        assertOneLine(CliRun.of("encode", "--model", noConfig.toString(), "--input", sample.resolve("queries.jsonl").toString(),
                "--output", output.toString(), "--quiet"), noConfig.resolve("config.json") + ": no such file");
        Path empty = Files.writeString(dir.resolve("empty.trec"), "");
        assertOneLine(CliRun.of("rerank", "--model", crossEncoder.toString(), "--run", empty.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--output", dir.resolve("out.trec").toString(), "--quiet"), empty + ": the run holds no entries");
    }

    // ---- training -------------------------------------------------------------------------------------------

    /** A tiny LCE config over the shared MS MARCO triples, training into {@code output}. */
    private Path trainConfig(Path output, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode config = JSON.createObjectNode();
        ObjectNode model = config.putObject("model");
        model.putObject("config").put("model_type", "bert").put("vocab_size", 30522).put("hidden_size", 16)
                .put("num_hidden_layers", 1).put("num_attention_heads", 2).put("intermediate_size", 32)
                .put("max_position_embeddings", 64).put("type_vocab_size", 2).put("initializer_range", 0.02);
        model.put("seed", 1);
        config.put("tokenizer", SharedData.require("models/all-MiniLM-L6-v2").toString());
        config.putObject("objective").put("name", "lce").put("group_size", 2);
        config.putObject("data").put("format", "msmarco-triples")
                .put("path", SharedData.require("data/msmarco-triples-sample/triples.tsv").toString()).put("max_length", 32);
        config.putObject("sampler").put("queries_per_batch", 2).put("seed", 1);
        config.putObject("optimizer").put("name", "adamw").put("lr", 1e-3);
        config.putObject("schedule").put("steps", 3).put("log_every", 1).put("checkpoint_every", 1);
        config.put("output", output.toString());
        change.accept(config);
        Path file = dir.resolve("train-" + System.nanoTime() + ".json");
        JSON.writeValue(file.toFile(), config);
        return file;
    }

    @Test
    void aSecondRunIntoAUsedOutputIsRefusedUnlessResumedOrOverwritten() throws Exception {
        Path output = dir.resolve("run");
        Path config = trainConfig(output, c -> {});
        assertEquals(0, CliRun.of("train", config.toString(), "--no-progress", "--until", "2").exitCode());
        assertOneLine(CliRun.of("train", config.toString(), "--no-progress"),
                "already holds 3 entries (checkpoint-1, checkpoint-2, train_log.jsonl): continue that run with --resume "
                        + output.resolve("checkpoint-2"));
        // A killed checkpoint write left a hidden temporary directory: resuming removes it, and the log keeps each step once.
        Files.createDirectories(output.resolve(".checkpoint-3-12345").resolve("x"));
        CliRun resumed = CliRun.of("train", config.toString(), "--no-progress", "--resume", output.resolve("checkpoint-2").toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("removed 1 temporary directory of an interrupted checkpoint write"), resumed.err());
        assertFalse(Files.exists(output.resolve(".checkpoint-3-12345")));
        assertEquals(List.of(1L, 2L, 3L), steps(output));
        // --overwrite starts afresh: the earlier checkpoints and log are gone, other files stay.
        Files.writeString(output.resolve("notes.txt"), "mine");
        CliRun again = CliRun.of("train", config.toString(), "--no-progress", "--overwrite", "--until", "1");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of(1L), steps(output));
        assertFalse(Files.exists(output.resolve("checkpoint-3")));
        assertEquals("mine", Files.readString(output.resolve("notes.txt")));
    }

    private static List<Long> steps(Path output) throws Exception {
        return Files.readAllLines(output.resolve("train_log.jsonl")).stream()
                .map(line -> {
                    try {
                        return JSON.readTree(line).get("step").asLong();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    @Test
    void resumingWithAnotherObjectiveSettingIsRefused() throws Exception {
        Path output = dir.resolve("run");
        assertEquals(0, CliRun.of("train", trainConfig(output, c -> {}).toString(), "--no-progress", "--until", "1").exitCode());
        Path other = trainConfig(output, c -> ((ObjectNode) c.get("objective")).put("group_size", 3));
        assertOneLine(CliRun.of("train", other.toString(), "--no-progress", "--resume", output.resolve("checkpoint-1").toString()),
                "that run was trained with objective.group_size = 2, but this config has 3");
    }

    @Test
    void badConfigsAreOneLineNamingTheFieldAndTheValue() throws Exception {
        Path output = dir.resolve("run");
        Object[][] cases = {
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("optimizer")).put("learning_rate", 1e-3),
                        "field 'optimizer.learning_rate' is not a field of optimizer 'adamw'"},
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("optimizer")).put("lr", new java.math.BigDecimal("1e999")),
                        "field 'optimizer.lr' must be a finite number > 0, got 1E+999"},
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("schedule")).put("steps", 0),
                        "field 'schedule.steps' must be >= 1"},
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("objective")).putNull("group_size"),
                        "field 'objective.group_size' is null; remove the field to use its default"},
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("objective")).put("group_size", 1),
                        "field 'objective.group_size' must be >= 2"},
                {(java.util.function.Consumer<ObjectNode>) c -> ((ObjectNode) c.get("data")).put("max_length", 128),
                        "field 'data.max_length' is 128 but model has max_position_embeddings 64"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            var change = (java.util.function.Consumer<ObjectNode>) c[0];
            Path config = trainConfig(output, change);
            CliRun result = CliRun.of("train", config.toString(), "--no-progress");
            assertOneLine(result, "train config " + config + ": " + c[1]);
            assertFalse(Files.exists(output.resolve("train_log.jsonl")), "nothing trained: " + c[1]);
        }
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndTheJsonHasNoNaN() throws Exception {
        Path output = dir.resolve("run");
        Path config = trainConfig(output, c -> {
            ((ObjectNode) c.get("optimizer")).put("name", "sgd").put("lr", 1e30);
            ((ObjectNode) c.get("schedule")).put("linear_decay", false);
        });
        CliRun result = CliRun.of("train", config.toString(), "--no-progress");
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.err().matches("(?s)ranker4j train: step \\d+.*(the loss is|the gradient norm is).*Training stopped.*"),
                result.err());
        for (String line : Files.readAllLines(output.resolve("train_log.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            assertFalse(line.contains("NaN") || line.contains("Infinity"), line);
            assertTrue(node.get("loss").isNumber(), line);
        }
        // Nothing left to train: the summary line is still JSON (last_loss null, not NaN).
        Path done = dir.resolve("done");
        Path finished = trainConfig(done, c -> ((ObjectNode) c.get("schedule")).put("steps", 1));
        assertEquals(0, CliRun.of("train", finished.toString(), "--no-progress").exitCode());
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            assertEquals(0, CliRun.of("train", finished.toString(), "--no-progress", "--resume", done.resolve("checkpoint-1").toString()).exitCode());
        } finally {
            System.setOut(original);
        }
        String summary = captured.toString().strip();
        JsonNode json = JSON.readTree(summary.substring(summary.lastIndexOf('{')));
        assertTrue(json.get("last_loss").isNull(), summary);
    }
}
