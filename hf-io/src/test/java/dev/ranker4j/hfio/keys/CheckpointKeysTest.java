package dev.ranker4j.hfio.keys;

import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.testkit.SharedData;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointKeysTest {

    /** The canonical parameter names of a BERT encoder with {@code layers} layers, as BertModel names them. */
    static List<String> bertEncoderNames(int layers, boolean pooler) {
        List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < layers; i++) {
            for (String part : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm")) {
                names.add("encoder.layer." + i + "." + part + ".weight");
                names.add("encoder.layer." + i + "." + part + ".bias");
            }
        }
        if (pooler) {
            names.add("pooler.dense.weight");
            names.add("pooler.dense.bias");
        }
        return names;
    }

    static List<String> distilBertEncoderNames(int layers) {
        List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < layers; i++) {
            for (String part : List.of("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin",
                    "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm")) {
                names.add("transformer.layer." + i + "." + part + ".weight");
                names.add("transformer.layer." + i + "." + part + ".bias");
            }
        }
        return names;
    }

    @Test
    void realMiniLmKeysMatchABertModelWithoutPrefix() throws Exception {
        try (SafetensorsFile model = SafetensorsFile.open(SharedData.require("models/all-MiniLM-L6-v2/model.safetensors"))) {
            List<String> keys = List.copyOf(model.names());
            assertEquals(Optional.of(HfArchitecture.BERT_MODEL), HfArchitecture.detect(keys));

            LoadReport report = CheckpointKeys.match(keys, bertEncoderNames(6, false));
            assertEquals("", report.prefix());
            assertTrue(report.complete());
            assertEquals(List.of(), report.unexpected());
            assertEquals("", report.summary());
            assertEquals(keys.size(), report.checkpointKey().size());

            // A cross-encoder built on it: pooler and classifier are missing, and may be, as fresh heads.
            List<String> crossEncoder = new ArrayList<>(bertEncoderNames(6, true));
            crossEncoder.addAll(HfArchitecture.BERT_FOR_SEQUENCE_CLASSIFICATION.headNames());
            LoadReport heads = CheckpointKeys.match(keys, crossEncoder);
            assertEquals(List.of("pooler.dense.weight", "pooler.dense.bias", "classifier.weight", "classifier.bias"),
                    heads.missing());
            heads.requireComplete("MiniLM", heads.missing());
            CheckpointKeyException e = assertThrows(CheckpointKeyException.class,
                    () -> heads.requireComplete("MiniLM", List.of("classifier.weight", "classifier.bias")));
            assertTrue(e.getMessage().contains("lacks 2 required weight(s) [pooler.dense.weight, pooler.dense.bias]"),
                    e.getMessage());
            assertEquals(heads, e.report());
        }
    }

    @Test
    void bertForSequenceClassificationKeysAreFoundUnderTheBertPrefix() throws Exception {
        try (SafetensorsFile reference = SafetensorsFile.open(
                SharedData.require("reference/training/cross_encoder_lce.safetensors"))) {
            List<String> keys = reference.names().stream()
                    .filter(n -> n.startsWith("bert.") || n.startsWith("classifier.")).toList();
            assertEquals(Optional.of(HfArchitecture.BERT_FOR_SEQUENCE_CLASSIFICATION), HfArchitecture.detect(keys));
            List<String> expected = new ArrayList<>(bertEncoderNames(2, true));
            expected.addAll(List.of("classifier.weight", "classifier.bias"));
            LoadReport report = CheckpointKeys.match(keys, expected);
            assertEquals("bert.", report.prefix());
            assertTrue(report.complete(), report.summary());
            assertEquals("bert.pooler.dense.weight", report.checkpointKey().get("pooler.dense.weight"));
            assertEquals("classifier.bias", report.checkpointKey().get("classifier.bias"));

            // Loaded into a bare encoder, the classifier is unexpected, like HF's warning says.
            LoadReport bare = CheckpointKeys.match(keys, bertEncoderNames(2, true));
            assertEquals(List.of("classifier.bias", "classifier.weight"), bare.unexpected().stream().sorted().toList());
            assertTrue(bare.summary().contains("were not used: ["), bare.summary());
        }
    }

    @Test
    void distilBertModelAndClassifierLayouts() throws Exception {
        List<String> encoder = distilBertEncoderNames(2);
        try (SafetensorsFile reference = SafetensorsFile.open(
                SharedData.require("reference/distilbert/distilbert_forward.safetensors"))) {
            LoadReport report = CheckpointKeys.match(reference.names(), encoder);
            assertEquals("", report.prefix());
            assertTrue(report.complete(), report.summary());
            assertTrue(report.unexpected().stream().allMatch(k -> k.startsWith("input.") || k.startsWith("output.")));
        }
        List<String> classifier = new ArrayList<>(encoder);
        classifier.addAll(HfArchitecture.DISTILBERT_FOR_SEQUENCE_CLASSIFICATION.headNames());
        List<String> checkpoint = classifier.stream()
                .map(HfArchitecture.DISTILBERT_FOR_SEQUENCE_CLASSIFICATION::checkpointKey).toList();
        assertTrue(checkpoint.contains("distilbert.transformer.layer.1.ffn.lin2.bias"));
        assertTrue(checkpoint.contains("pre_classifier.weight"));
        assertEquals(Optional.of(HfArchitecture.DISTILBERT_FOR_SEQUENCE_CLASSIFICATION), HfArchitecture.detect(checkpoint));
        LoadReport report = CheckpointKeys.match(checkpoint, classifier);
        assertEquals("distilbert.", report.prefix());
        assertTrue(report.complete());
        assertEquals(List.of(), report.unexpected());
    }

    @Test
    void legacyNamesAndIgnoredBuffers() {
        List<String> checkpoint = List.of("bert.embeddings.LayerNorm.gamma", "bert.embeddings.LayerNorm.beta",
                "bert.embeddings.position_ids", "bert.embeddings.word_embeddings.weight", "cls.predictions.bias");
        LoadReport report = CheckpointKeys.match(checkpoint,
                List.of("embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias", "embeddings.word_embeddings.weight"));
        assertEquals("bert.", report.prefix());
        assertTrue(report.complete());
        assertEquals("bert.embeddings.LayerNorm.gamma", report.checkpointKey().get("embeddings.LayerNorm.weight"));
        assertEquals(List.of("bert.embeddings.position_ids"), report.ignored());
        assertEquals(List.of("cls.predictions.bias"), report.unexpected());
    }

    @Test
    void nothingMatchingFailsWithAClearMessage() {
        LoadReport report = CheckpointKeys.match(List.of("foo.weight", "bar.bias"), bertEncoderNames(1, false));
        assertEquals(bertEncoderNames(1, false), report.missing());
        assertEquals(List.of("foo.weight", "bar.bias"), report.unexpected());
        CheckpointKeyException e = assertThrows(CheckpointKeyException.class, () -> report.requireComplete("x.safetensors", List.of()));
        assertTrue(e.getMessage().startsWith("x.safetensors: the checkpoint lacks 21 required weight(s) "
                + "[embeddings.word_embeddings.weight,"), e.getMessage());
        assertTrue(e.getMessage().contains("and 13 more"), e.getMessage());
        assertTrue(e.getMessage().contains("unused checkpoint keys: [foo.weight, bar.bias]"), e.getMessage());
    }

    /**
     * For any architecture, any layer count, and any subset of weights removed from its checkpoint, the mapping finds
     * the architecture's prefix and reports exactly the removed names as missing and nothing as unexpected.
     */
    @Property(tries = 200)
    void missingKeysAreExactlyTheRemovedOnes(@ForAll HfArchitecture architecture, @ForAll @IntRange(min = 1, max = 4) int layers,
                                             @ForAll("seeds") long seed) {
        boolean distil = architecture.name().startsWith("DISTIL");
        List<String> expected = new ArrayList<>(distil ? distilBertEncoderNames(layers) : bertEncoderNames(layers, true));
        expected.addAll(architecture.headNames());
        java.util.Random random = new java.util.Random(seed);
        List<String> removed = expected.stream().filter(n -> random.nextInt(10) == 0).toList();
        List<String> checkpoint = expected.stream().filter(n -> !removed.contains(n))
                .map(architecture::checkpointKey).toList();
        LoadReport report = CheckpointKeys.match(checkpoint, expected);
        if (removed.size() < expected.size() - architecture.headNames().size()) {
            assertEquals(architecture.encoderPrefix(), report.prefix());
        }
        assertEquals(removed, report.missing());
        assertEquals(List.of(), report.unexpected());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void canonicalNamesRoundTripThroughEachArchitecture() {
        for (HfArchitecture architecture : HfArchitecture.values()) {
            for (String name : Stream.concat(bertEncoderNames(1, true).stream(), architecture.headNames().stream()).toList()) {
                assertEquals(name, CheckpointKeys.canonical(architecture.checkpointKey(name), architecture.encoderPrefix()));
            }
            assertEquals(Optional.of(architecture), HfArchitecture.fromClassName(architecture.className()));
        }
    }
}
