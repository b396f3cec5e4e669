package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.transformer.testing.TinyBertDirectories;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each pipeline end to end on the built-in 10-query sample: {@code mine-negatives} writes the sampler's data, then
 * {@code train} consumes it for 2 steps with tiny random models (and, for the LCE and TAS-B runs, evaluates).
 */
class MinedDataTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path sample;
    Path run;
    Path qrels;
    Path vocabulary;

    @BeforeEach
    void files() throws Exception {
        sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        qrels = sample.resolve("qrels/test.tsv");
        run = TinyModels.sampleRun(dir.resolve("run.trec"));
        vocabulary = TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("tokenizer")));
    }

    /** A random-init model section: the tiny BERT of {@link TinyModels}. */
    private static ObjectNode tinyModel(int seed) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"model_type": "bert", "vocab_size": %d, "hidden_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 512,
                 "type_vocab_size": 2, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
                 "initializer_range": 0.5}""".formatted(TinyBertDirectories.vocabulary().size()));
        ObjectNode model = JSON.createObjectNode();
        model.set("config", config);
        return model.put("seed", seed);
    }

    private ObjectNode config(String objective, ObjectNode model, ObjectNode data) {
        ObjectNode config = JSON.createObjectNode();
        config.set("model", model);
        config.put("tokenizer", vocabulary.toString());
        config.putObject("objective").put("name", objective);
        config.set("data", data.put("max_length", 32));
        config.putObject("sampler").put("queries_per_batch", 2).put("seed", 5);
        config.putObject("optimizer").put("name", "adamw").put("lr", 1e-3);
        config.putObject("schedule").put("steps", 2).put("log_every", 1);
        config.put("output", dir.resolve("out-" + objective).toString());
        return config;
    }

    private ObjectNode evaluation() {
        ObjectNode evaluation = JSON.createObjectNode().put("every_steps", 1).put("qrels", qrels.toString())
                .put("queries", sample.resolve("queries.jsonl").toString())
                .put("corpus", sample.resolve("corpus.jsonl").toString()).put("max_length", 32);
        evaluation.putArray("metrics").add("ndcg@10").add("recall@20");
        return evaluation;
    }

    /** Trains, checks the checkpoint and returns the log's lines. */
    private List<JsonNode> train(ObjectNode config, String... checkpointFiles) throws Exception {
        Path file = dir.resolve("train.json");
        JSON.writeValue(file.toFile(), config);
        CliRun result = CliRun.of("train", file.toString(), "--no-progress");
        assertEquals(0, result.exitCode(), result.err());
        Path output = Path.of(config.get("output").asText());
        for (String name : checkpointFiles) assertTrue(Files.isRegularFile(output.resolve("checkpoint-2").resolve(name)), name);
        List<JsonNode> log = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve("train_log.jsonl"))) log.add(JSON.readTree(line));
        return log;
    }

    private CliRun mine(String... args) {
        List<String> all = new ArrayList<>(List.of("mine-negatives", "--qrels", qrels.toString(), "--seed", "3"));
        all.addAll(List.of(args));
        CliRun result = CliRun.of(all.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        return result;
    }

    @Test
    void lceTrainsOnMinedGroupsAndKeepsTheBestCheckpoint() throws Exception {
        Path grouped = dir.resolve("lce.jsonl");
        mine("--sampler", "lce", "--run", run.toString(), "--negatives", "5", "--depth", "20", "--tokenizer",
                vocabulary.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "--corpus",
                sample.resolve("corpus.jsonl").toString(), "--output", grouped.toString());
        ObjectNode config = config("lce", tinyModel(1), JSON.createObjectNode().put("format", "reranker-grouped")
                .put("path", grouped.toString()));
        ((ObjectNode) config.get("objective")).put("group_size", 4);
        ObjectNode evaluation = evaluation().put("run", run.toString()).put("rerank_depth", 20).put("keep_best", "ndcg@10");
        config.set("evaluation", evaluation);

        List<JsonNode> log = train(config, "model.safetensors", "config.json", "vocab.txt");
        List<JsonNode> evaluations = log.stream().filter(l -> l.has("eval_ndcg@10")).toList();
        assertEquals(2, log.size() - evaluations.size(), "two step lines");
        assertEquals(2, evaluations.size(), "an evaluation after each step");
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode e : evaluations) {
            double ndcg = e.get("eval_ndcg@10").asDouble();
            assertTrue(ndcg >= 0 && ndcg <= 1, e.toString());
            assertTrue(e.get("eval_recall@20").asDouble() > 0, "the run's top 20 holds relevant passages: " + e);
            best = Math.max(best, ndcg);
            assertEquals(best, e.get("eval_best_ndcg@10").asDouble(), 1e-12);
        }
        Path output = Path.of(config.get("output").asText());
        assertTrue(Files.isRegularFile(output.resolve("best-checkpoint/model.safetensors")));
        assertEquals(best, JSON.readTree(output.resolve("best-checkpoint.json").toFile()).get("value").asDouble(), 1e-12);
    }

    @Test
    void tasBalancedTrainsOnMinedBatchesAndEvaluatesDenseRetrieval() throws Exception {
        float[][] rows = new float[10][2];
        List<String> ids = new ArrayList<>();
        for (int q = 0; q < 10; q++) {
            ids.add("q" + (q + 1));
            rows[q][q % 2] = 1;
        }
        Path vectors = dir.resolve("queries.vec");
        VectorFiles.write(vectors, DenseVectors.of(ids, rows, true));
        Path batches = dir.resolve("tas.jsonl");
        mine("--sampler", "tas-b", "--teacher-scores", run.toString(), "--query-vectors", vectors.toString(),
                "--clusters", "2", "--batch-size", "4", "--clusters-per-batch", "2", "--batches", "3", "--output",
                batches.toString());
        ObjectNode model = JSON.createObjectNode();
        model.set("student", tinyModel(1).put("pooling", "cls").put("similarity", "dot"));
        model.set("inbatch_teacher", tinyModel(2).put("dim", 8));
        ObjectNode config = config("tas-balanced", model, JSON.createObjectNode().put("format", "tas-balanced-batches")
                .put("path", batches.toString()).put("queries", sample.resolve("queries.jsonl").toString())
                .put("corpus", sample.resolve("corpus.jsonl").toString()));
        config.set("evaluation", evaluation().put("k", 20));

        List<JsonNode> log = train(config, "model.safetensors", "modules.json");
        JsonNode first = log.getFirst();
        assertTrue(first.get("loss").isNumber() && Double.isFinite(first.get("loss").asDouble()), first.toString());
        assertEquals(2, log.stream().filter(l -> l.has("eval_recall@20")).count());
    }

    @Test
    void rocketQaTrainsOnMinedListwiseInstances() throws Exception {
        Path instances = dir.resolve("rocketqa.jsonl");
        mine("--sampler", "rocketqa", "--run", run.toString(), "--reranker-scores", run.toString(), "--list-size", "3",
                "--depth", "30", "--negative-threshold", "0.5", "--positive-threshold", "0.99", "--output",
                instances.toString());
        ObjectNode model = JSON.createObjectNode();
        model.set("retriever", tinyModel(1));
        model.set("reranker", tinyModel(2));
        ObjectNode config = config("rocketqav2", model, JSON.createObjectNode().put("format", "listwise-instances")
                .put("path", instances.toString()).put("queries", sample.resolve("queries.jsonl").toString())
                .put("corpus", sample.resolve("corpus.jsonl").toString()));

        List<JsonNode> log = train(config, "retriever/model.safetensors", "reranker/model.safetensors");
        assertEquals(2, log.size());
    }

    @Test
    void mismatchesAreOneLineNamingTheField() throws Exception {
        Path instances = dir.resolve("rocketqa.jsonl");
        mine("--sampler", "rocketqa", "--run", run.toString(), "--reranker-scores", run.toString(), "--list-size", "3",
                "--output", instances.toString());
        ObjectNode data = JSON.createObjectNode().put("format", "listwise-instances").put("path", instances.toString())
                .put("queries", sample.resolve("queries.jsonl").toString()).put("corpus", sample.resolve("corpus.jsonl").toString());

        ObjectNode lce = config("lce", tinyModel(1), data.deepCopy());
        assertFails(lce, "field 'data.format' 'listwise-instances' cannot feed objective 'lce' (it feeds rocketqav2)");

        ObjectNode model = JSON.createObjectNode();
        model.set("retriever", tinyModel(1));
        model.set("reranker", tinyModel(2));
        ObjectNode rocketQa = config("rocketqav2", model, data.deepCopy());
        ((ObjectNode) rocketQa.get("objective")).put("list_size", 8);
        assertFails(rocketQa, "field 'objective.list_size' is 8 but the instances in");

        ObjectNode noCorpus = config("rocketqav2", model, data.deepCopy());
        ((ObjectNode) noCorpus.get("data")).remove("corpus");
        assertFails(noCorpus, "field 'data.corpus' is missing");

        ObjectNode badMetric = config("rocketqav2", model, data.deepCopy());
        badMetric.set("evaluation", evaluation());
        ((ObjectNode) badMetric.get("evaluation")).putArray("metrics").add("bleu");
        assertFails(badMetric, "field 'evaluation.metrics' has 'bleu'");
    }

    private void assertFails(ObjectNode config, String message) throws Exception {
        Path file = dir.resolve("bad.json");
        JSON.writeValue(file.toFile(), config);
        CliRun result = CliRun.of("train", file.toString(), "--no-progress");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains(message), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }
}
