package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.transformer.bert.BertModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.ranker4j.transformer.ranking.RankingModelsTest.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ranking models load with deferred initialisation: every weight the checkpoint has is its value bit for bit, and
 * only the weights it lacks (a new pooler, classifier or projection) are drawn, from the load's seed.
 */
class DeferredLoadTest {

    /** Asserts that each of {@code model}'s parameters stored in {@code dir} (under {@code prefix} + name) equals the file; returns the rest. */
    private static Set<String> assertCheckpointWeightsExact(Module model, Path dir, String prefix) throws Exception {
        Set<String> notInFile = new TreeSet<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir)) {
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                String name = e.getKey();
                String key = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
                if (!file.contains(key)) {
                    notInFile.add(name);
                    continue;
                }
                assertArrayEquals(file.readF32(key), e.getValue().value().toFloatArray(), 0f, name);
            }
        }
        return notInFile;
    }

    /** A deferred parameter never set holds a one-element placeholder; an initialised one owns numel elements. */
    private static void assertInitialised(Parameter p, String name) {
        assertEquals(p.value().numel(), p.value().storage().length(), name + " still holds its placeholder");
    }

    @Test
    void aCrossEncoderOnABareEncoderKeepsItsWeightsExactAndDrawsOnlyTheNewPoolerAndHead(@TempDir Path dir) throws Exception {
        BertModel encoder = BertModel.fromConfig(config("bert"), 4, DType.F32, false);
        encoder.save(dir);
        CrossEncoder loaded = CrossEncoder.load(dir, DType.F32, 7, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY);
        Set<String> drawn = assertCheckpointWeightsExact(loaded, dir, "bert.");
        assertEquals(Set.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"), drawn);
        Map<String, Parameter> parameters = loaded.namedParameters();
        for (String name : drawn) assertInitialised(parameters.get(name), name);
        // Nothing was drawn for the encoder's checkpoint weights, so the pooler is the encoder stream's first draw
        // (an eager load would have drawn every encoder weight before it).
        assertArrayEquals(new SeededRandom(7).normal(DType.F32, 0, 0.2, 8, 8).toFloatArray(),
                parameters.get("bert.pooler.dense.weight").value().toFloatArray(), 0f);
        assertArrayEquals(new float[1], parameters.get("classifier.bias").value().toFloatArray(), 0f);
        // The head has its own generator, drawn first in both cases: the same classifier as a fresh model of that seed.
        assertArrayEquals(CrossEncoder.fromConfig(config("bert"), 7, DType.F32).namedParameters().get("classifier.weight")
                .value().toFloatArray(), parameters.get("classifier.weight").value().toFloatArray(), 0f);
    }

    @Test
    void aDistilBertCrossEncoderCheckpointIsReadBitForBitWithNothingDrawn(@TempDir Path dir) throws Exception {
        CrossEncoder saved = CrossEncoder.fromConfig(config("distilbert"), 3, DType.F32);
        saved.save(dir);
        CrossEncoder loaded = CrossEncoder.load(dir, DType.F32, 11);
        assertEquals(Set.of(), assertCheckpointWeightsExact(loaded, dir, ""));
        assertEquals(saved.namedParameters().keySet(), loaded.namedParameters().keySet());
    }

    @Test
    void colbertLoadsExactlyAndFromAnEncoderDrawsOnlyTheProjection(@TempDir Path dir) throws Exception {
        Colbert saved = Colbert.fromConfig(config("bert"), 6, 2, DType.F32);
        Path colbertDir = dir.resolve("colbert");
        saved.save(colbertDir);
        assertEquals(Set.of(), assertCheckpointWeightsExact(Colbert.load(colbertDir, DType.F32), colbertDir, ""));

        Path encoderDir = dir.resolve("encoder");
        BertModel.fromConfig(config("bert"), 5, DType.F32, false).save(encoderDir);
        Colbert fresh = Colbert.fromEncoder(encoderDir, 6, 9, DType.F32);
        assertEquals(Set.of("linear.weight"), assertCheckpointWeightsExact(fresh, encoderDir, "bert."));
        Parameter projection = fresh.namedParameters().get("linear.weight");
        assertInitialised(projection, "linear.weight");
        assertArrayEquals(Colbert.fromConfig(config("bert"), 6, 9, DType.F32).namedParameters().get("linear.weight")
                .value().toFloatArray(), projection.value().toFloatArray(), 0f);
    }
}
