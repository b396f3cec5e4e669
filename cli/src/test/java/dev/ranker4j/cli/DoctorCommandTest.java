package dev.ranker4j.cli;

import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ranker4j doctor DIR}: what a model directory holds, and its problems with exit code 1. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    @Test
    void aHealthyEncoderAndCrossEncoder() throws Exception {
        CliRun encoder = CliRun.of("doctor", TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("e"))).toString());
        assertEquals(0, encoder.exitCode(), encoder.out() + encoder.err());
        assertTrue(encoder.out().contains("head: none: an encoder"), encoder.out());
        assertTrue(encoder.lastLine().contains("\"kind\":\"dual_encoder\",\"problems\":0"), encoder.out());
        CliRun crossEncoder = CliRun.of("doctor", TinyModels.crossEncoder(Files.createDirectory(dir.resolve("c"))).toString());
        assertEquals(0, crossEncoder.exitCode(), crossEncoder.out());
        assertTrue(crossEncoder.out().contains("classification head (classifier.*): a cross-encoder"), crossEncoder.out());
        assertTrue(crossEncoder.out().contains("missing weights (cross_encoder): none"), crossEncoder.out());
    }

    @Test
    void aConfigThatDoesNotMatchTheWeightsIsAProblem() throws Exception {
        Path model = TinyModels.crossEncoder(Files.createDirectory(dir.resolve("c")));
        var config = TransformerConfigJson.read(model.resolve("config.json"));
        Files.writeString(model.resolve("config.json"), TransformerConfigJson.toJson(config).replace(
                "\"vocab_size\" : " + config.vocabSize(), "\"vocab_size\" : " + (config.vocabSize() + 5)));
        CliRun result = CliRun.of("doctor", model.toString());
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().contains("loading as cross_encoder: " + model.resolve("model.safetensors")
                + ": tensor 'bert.embeddings.word_embeddings.weight' has shape"), result.out());
    }

    @Test
    void allMiniLmIsAHealthyEncoderWhoseTokenizerFilesAgree() {
        Path minilm = SharedData.require("models/all-MiniLM-L6-v2");
        CliRun result = CliRun.of("doctor", minilm.toString());
        assertEquals(0, result.exitCode(), result.out());
        assertTrue(result.out().contains("tokenizer.json and vocab.txt agree on all 30522 tokens"), result.out());
        assertTrue(result.out().contains("load as dual_encoder: ok"), result.out());
    }
}
