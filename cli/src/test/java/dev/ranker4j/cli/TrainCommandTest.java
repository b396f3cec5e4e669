package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ranker4j train} end to end on every config in examples/, with each model replaced by a tiny random one (the
 * examples' tokenizer and data are real) and 2 steps, so the whole pipeline runs in seconds.
 */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A 2-layer, 16-wide BERT over the MiniLM vocabulary, with dropout on. */
    private static ObjectNode tinyModel(int seed) {
        ObjectNode m = JSON.createObjectNode();
        m.putObject("config").put("model_type", "bert").put("vocab_size", 30522).put("hidden_size", 16)
                .put("num_hidden_layers", 2).put("num_attention_heads", 2).put("intermediate_size", 32)
                .put("max_position_embeddings", 512).put("type_vocab_size", 2).put("hidden_dropout_prob", 0.1)
                .put("attention_probs_dropout_prob", 0.1).put("initializer_range", 0.02);
        m.put("seed", seed);
        return m;
    }

    /** The example with its repository-relative paths made absolute and its models made tiny. */
    private Path tinyVersion(String example) throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        ObjectNode config = (ObjectNode) JSON.readTree(repo.resolve("examples").resolve(example).toFile());
        ObjectNode model = (ObjectNode) config.get("model");
        if (model.has("init") || model.has("config")) {
            config.set("model", tinyModel(1));
        } else {
            int seed = 1;
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = model.fields(); it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
                ObjectNode section = (ObjectNode) e.getValue();
                section.remove("init");
                section.remove("config");
                section.setAll(tinyModel(seed++));
            }
        }
        config.put("tokenizer", SharedData.require("models/all-MiniLM-L6-v2").toString());
        ObjectNode data = (ObjectNode) config.get("data");
        data.put("path", repo.resolve(data.get("path").textValue()).normalize().toString());
        data.put("max_length", 32);
        config.put("output", dir.resolve(example.replace(".json", "")).toString());
        Path file = dir.resolve(example);
        JSON.writeValue(file.toFile(), config);
        return file;
    }

    private void trains(String example, String... checkpointFiles) throws Exception {
        SharedData.require("data/msmarco-triples-sample");
        Path config = tinyVersion(example);
        CliRun result = CliRun.of("train", config.toString(), "--steps", "2", "--no-progress");
        assertEquals(0, result.exitCode(), result.err());
        Path checkpoint = dir.resolve(example.replace(".json", "")).resolve("checkpoint-2");
        for (String file : checkpointFiles) assertTrue(Files.isRegularFile(checkpoint.resolve(file)), example + ": " + file);
        assertTrue(Files.isRegularFile(checkpoint.resolve("trainer_state.json")));
        assertEquals(2, Files.readAllLines(checkpoint.getParent().resolve("train_log.jsonl")).size());
    }

    @Test
    void lceCrossEncoder() throws Exception {
        trains("lce-cross-encoder.json", "model.safetensors", "config.json", "vocab.txt");
    }

    @Test
    void tasBalancedDualEncoder() throws Exception {
        trains("tas-balanced-dual-encoder.json", "model.safetensors", "modules.json", "1_Pooling/config.json", "vocab.txt");
        Path pooling = dir.resolve("tas-balanced-dual-encoder/checkpoint-2/1_Pooling");
        assertFalse(Files.exists(pooling.resolve("vocab.txt")), "a module without weights gets no tokenizer");
    }

    @Test
    void rocketQaV2Joint() throws Exception {
        SharedData.require("data/scifact");
        // Each model directory carries the tokenizer, so encode and rerank read it alone.
        trains("rocketqav2-joint.json", "retriever/model.safetensors", "reranker/model.safetensors",
                "retriever/vocab.txt", "retriever/tokenizer.json", "reranker/vocab.txt", "reranker/tokenizer.json");
    }

    @Test
    void rankerDistillation() throws Exception {
        trains("ranker-distillation.json", "model.safetensors", "config.json");
    }

    @Test
    void resumesFromACheckpoint() throws Exception {
        SharedData.require("data/msmarco-triples-sample");
        Path config = tinyVersion("lce-cross-encoder.json");
        assertEquals(0, CliRun.of("train", config.toString(), "--steps", "2", "--no-progress").exitCode());
        Path run = dir.resolve("lce-cross-encoder");
        CliRun resumed = CliRun.of("train", config.toString(), "--steps", "3", "--no-progress", "--resume", run.resolve("checkpoint-2").toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(Files.isDirectory(run.resolve("checkpoint-3")));
    }

    @Test
    void aBadFieldIsOneLineNamingIt() throws Exception {
        SharedData.require("data/msmarco-triples-sample");
        Path config = tinyVersion("lce-cross-encoder.json");
        ObjectNode json = (ObjectNode) JSON.readTree(config.toFile());
        ((ObjectNode) json.get("optimizer")).put("lr", "fast");
        JSON.writeValue(config.toFile(), json);
        CliRun result = CliRun.of("train", config.toString(), "--no-progress");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("'optimizer.lr' must be a number"), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }
}
