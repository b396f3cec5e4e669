package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.bert.BertOutput;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankingModelsTest {

    static TransformerConfig config(String type) throws Exception {
        String json = type.equals("bert") ? """
                {"model_type": "bert", "vocab_size": 50, "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
                 "intermediate_size": 16, "max_position_embeddings": 32, "type_vocab_size": 2, "hidden_dropout_prob": 0.1,
                 "attention_probs_dropout_prob": 0.1, "initializer_range": 0.2}"""
                : """
                {"model_type": "distilbert", "vocab_size": 50, "dim": 8, "n_layers": 2, "n_heads": 2, "hidden_dim": 16,
                 "max_position_embeddings": 32, "dropout": 0.1, "attention_dropout": 0.1, "initializer_range": 0.2}""";
        return TransformerConfigJson.parse(Path.of(type + ".json"), json);
    }

    static BertInput input(long seed, int rows, int seq) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] ids = new long[rows * seq], mask = new long[rows * seq];
        for (int i = 0; i < rows * seq; i++) {
            boolean pad = i % seq >= seq - (i / seq) % 3;
            ids[i] = i % seq == 0 ? 2 : pad ? 0 : 4 + r.nextInt(46);
            mask[i] = pad ? 0 : 1;
        }
        return new BertInput(Tensor.fromArray(ids, rows, seq), Tensor.fromArray(mask, rows, seq), null);
    }

    private static Set<String> keys(Path dir) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(dir)) {
            return f.names();
        }
    }

    @Test
    void bertCrossEncoderSavesTheSequenceClassificationLayoutAndLoadsBack(@TempDir Path dir) throws Exception {
        CrossEncoder model = CrossEncoder.fromConfig(config("bert"), 1, DType.F32);
        model.eval();
        model.save(dir);
        Set<String> keys = keys(dir);
        assertTrue(keys.containsAll(List.of("bert.embeddings.word_embeddings.weight", "bert.pooler.dense.weight",
                "classifier.weight", "classifier.bias")), keys.toString());
        assertTrue(keys.stream().allMatch(k -> k.startsWith("bert.") || k.startsWith("classifier.")), keys.toString());
        String config = Files.readString(dir.resolve("config.json"));
        assertTrue(config.contains("BertForSequenceClassification") && config.contains("LABEL_0"), config);
        CrossEncoder loaded = CrossEncoder.load(dir, DType.F32, 99);
        try (NoGrad ignored = NoGrad.enter()) {
            assertArrayEquals(model.score(input(3, 4, 10)).value().toFloatArray(), loaded.score(input(3, 4, 10)).value().toFloatArray(), 0f);
        }
    }

    @Test
    void distilBertCrossEncoderUsesPreClassifierAndLoadsBack(@TempDir Path dir) throws Exception {
        CrossEncoder model = CrossEncoder.fromConfig(config("distilbert"), 1, DType.F32);
        model.eval();
        model.save(dir);
        Set<String> keys = keys(dir);
        assertTrue(keys.containsAll(List.of("distilbert.embeddings.word_embeddings.weight", "pre_classifier.weight",
                "pre_classifier.bias", "classifier.weight")), keys.toString());
        assertTrue(Files.readString(dir.resolve("config.json")).contains("DistilBertForSequenceClassification"));
        CrossEncoder loaded = CrossEncoder.load(dir, DType.F32, 5);
        try (NoGrad ignored = NoGrad.enter()) {
            assertArrayEquals(model.score(input(4, 3, 9)).value().toFloatArray(), loaded.score(input(4, 3, 9)).value().toFloatArray(), 0f);
        }
    }

    @Test
    void aCrossEncoderStartsFromABareEncoderWithAFreshHead(@TempDir Path dir) throws Exception {
        BertModel encoder = BertModel.fromConfig(config("bert"), 4, DType.F32, false);
        encoder.save(dir);
        CrossEncoder model = CrossEncoder.load(dir, DType.F32, 7, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY);
        assertArrayEquals(encoder.namedParameters().get("embeddings.word_embeddings.weight").value().toFloatArray(),
                model.namedParameters().get("bert.embeddings.word_embeddings.weight").value().toFloatArray(), 0f);
        assertEquals(1, model.namedParameters().get("classifier.weight").shape()[0]);
    }

    @Test
    void hiddenStatesAndAttentionsAreReturnedForDistillation() throws Exception {
        CrossEncoder model = CrossEncoder.fromConfig(config("bert"), 1, DType.F32);
        CrossEncoder.Output out = model.forward(input(1, 2, 7), BertOutput.Options.ALL);
        assertEquals(3, out.encoderOutput().hiddenStates().size());
        assertEquals(2, out.encoderOutput().attentions().size());
        assertArrayEquals(new int[] {2, 2, 7, 7}, out.encoderOutput().attentions().get(0).shape());
    }

    @Test
    void maxSimIsTheSumOverQueryTokensOfTheBestDocumentToken() {
        SplittableRandom r = new SplittableRandom(3);
        int b = 2, nq = 3, nd = 4, dim = 5;
        double[] q = r.doubles(b * nq * dim, -1, 1).toArray(), d = r.doubles(b * nd * dim, -1, 1).toArray();
        Variable scores = Colbert.maxSim(Variable.constant(Tensor.fromArray(q, b, nq, dim)), Variable.constant(Tensor.fromArray(d, b, nd, dim)));
        for (int row = 0; row < b; row++) {
            double expected = 0;
            for (int i = 0; i < nq; i++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < nd; j++) {
                    double dot = 0;
                    for (int k = 0; k < dim; k++) dot += q[(row * nq + i) * dim + k] * d[(row * nd + j) * dim + k];
                    best = Math.max(best, dot);
                }
                expected += best;
            }
            assertEquals(expected, scores.value().get(row), 1e-12);
        }
        Variable matrix = Colbert.maxSimMatrix(Variable.constant(Tensor.fromArray(q, b, nq, dim)), Variable.constant(Tensor.fromArray(d, b, nd, dim)));
        assertEquals(scores.value().get(0), matrix.value().get(0, 0), 1e-12);
        assertEquals(scores.value().get(1), matrix.value().get(1, 1), 1e-12);
    }

    @Test
    void colbertInputsInsertMarkersAndAugmentQueriesWithMask() {
        ColbertInputs inputs = ColbertInputs.BERT_UNCASED;
        BertInput q = inputs.queries(List.of(new long[] {101, 7, 8, 102}), 8);
        assertArrayEquals(new long[] {101, 1, 7, 8, 102, 103, 103, 103}, q.inputIds().toLongArray());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 0, 0}, q.attentionMask().toLongArray());
        BertInput d = inputs.documents(List.of(new long[] {101, 5, 6, 7, 102}, new long[] {101, 9, 102}), 5);
        // Truncated to 5 with [SEP] kept last; the shorter one padded with [PAD].
        assertArrayEquals(new long[] {101, 2, 5, 6, 102, 101, 2, 9, 102, 0}, d.inputIds().toLongArray());
    }

    @Test
    void colbertVectorsAreUnitLengthAndPaddingIsZeroAndItRoundTrips(@TempDir Path dir) throws Exception {
        Colbert model = Colbert.fromConfig(config("bert"), 6, 2, DType.F64);
        model.eval();
        BertInput docs = input(5, 3, 8);
        Tensor vectors = model.encodeDocuments(docs).value();
        long[] mask = docs.attentionMask().toLongArray();
        for (int row = 0; row < 3; row++) {
            for (int t = 0; t < 8; t++) {
                double norm = 0;
                for (int k = 0; k < 6; k++) norm += vectors.get(row, t, k) * vectors.get(row, t, k);
                assertEquals(mask[row * 8 + t] == 1 ? 1.0 : 0.0, norm, 1e-12);
            }
        }
        model.save(dir);
        assertTrue(keys(dir).contains("linear.weight") && keys(dir).contains("bert.encoder.layer.0.attention.self.query.weight"));
        Colbert loaded = Colbert.load(dir, DType.F64);
        BertInput queries = new ColbertInputs(1, 2, 40, 0, 3).queries(List.of(new long[] {2, 7, 8, 3}, new long[] {2, 9, 3}, new long[] {2, 4, 3}), 6);
        assertArrayEquals(model.score(queries, docs).value().toDoubleArray(), loaded.score(queries, docs).value().toDoubleArray(), 0);
    }

    @Test
    void colbertZeroesSkiplistedDocumentTokensWithoutChangingTheOthers() throws Exception {
        Colbert model = Colbert.fromConfig(config("bert"), 6, 2, DType.F64);
        model.eval();
        BertInput docs = input(7, 3, 8);
        Tensor plain = model.encodeDocuments(docs).value();
        model.skipDocumentTokens(new long[] {9, 5});
        assertArrayEquals(new long[] {5, 9}, model.documentSkiplist());
        Tensor masked = model.encodeDocuments(docs).value();
        long[] ids = docs.inputIds().toLongArray();
        int skipped = 0;
        for (int row = 0; row < 3; row++) {
            for (int t = 0; t < 8; t++) {
                boolean skip = ids[row * 8 + t] == 5 || ids[row * 8 + t] == 9;
                if (skip) skipped++;
                for (int k = 0; k < 6; k++) {
                    // Skiplisted tokens still attend: every other vector is exactly what it was without the list.
                    assertEquals(skip ? 0.0 : plain.get(row, t, k), masked.get(row, t, k), 0);
                }
            }
        }
        assertTrue(skipped > 0, "the random documents should contain a skiplisted id");
    }

    @Test
    void colbertLoadTakesItsPunctuationSkiplistFromTheDirectorysTokenizer(@TempDir Path dir) throws Exception {
        Colbert.fromConfig(config("bert"), 6, 2, DType.F64).save(dir);
        assertArrayEquals(new long[0], Colbert.load(dir, DType.F64).documentSkiplist(), "no tokenizer files: no skiplist");
        // ids: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, "." 5, "hello" 6, "," 7, "##!" 8
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n.\nhello\n,\n##!\n");
        assertArrayEquals(new long[] {5, 7}, Colbert.load(dir, DType.F64).documentSkiplist());
    }
}
