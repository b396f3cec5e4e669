package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 against Hugging Face text-embeddings-inference (candle, float32): per-token last hidden states of
 * the real tokens, CLS vectors and mean-pooled vectors, for one text and for a padded batch of three. Tolerances
 * (issue 4): max abs difference ≤ 5e-3 and cosine ≥ 0.99999 per vector.
 */
class TeiSnapshotParityTest {
    private static final List<String> SINGLE = List.of("What is Deep Learning?");
    private static final List<String> BATCH = List.of("What is Deep Learning?", "Deep Learning is...", "What is Deep Learning?");

    private static Path snapshots;
    private static BertModel model;
    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        Path modelDir = SharedData.require("models/all-MiniLM-L6-v2");
        snapshots = SharedData.require("reference/all-MiniLM-L6-v2");
        model = BertModel.load(modelDir);
        tokenizer = WordPieceTokenizer.fromDirectory(modelDir);
    }

    @Test
    void theInputIsTokenizedAsTeiDid() {
        assertArrayEquals(new int[] {101, 2054, 2003, 2784, 4083, 1029, 102}, tokenizer.encode(SINGLE.getFirst()).ids());
    }

    @Test
    void singleText() throws IOException {
        check("single", SINGLE);
    }

    @Test
    void paddedBatch() throws IOException {
        check("batch", BATCH);
    }

    private void check(String name, List<String> texts) throws IOException {
        BatchEncoding encoding = tokenizer.encodeBatch(texts, Truncation.NONE, Padding.LONGEST);
        List<float[]> raw = new ArrayList<>(), cls = new ArrayList<>(), mean = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            BertInput input = BertInput.of(encoding);
            BertOutput out = model.forward(input);
            Tensor hidden = out.lastHiddenState().value();
            Tensor means = Pooling.mean(out.lastHiddenState(), input.attentionMask()).value();
            Tensor first = Pooling.cls(out.lastHiddenState()).value();
            for (int b = 0; b < texts.size(); b++) {
                for (int t = 0; t < encoding.realLength(b); t++) raw.add(hidden.select(0, b).select(0, t).contiguous().toFloatArray());
                cls.add(first.select(0, b).contiguous().toFloatArray());
                mean.add(means.select(0, b).contiguous().toFloatArray());
            }
        }
        compare(snapshots.resolve("test_bert__bert_" + name + "_raw.snap"), raw);
        compare(snapshots.resolve("test_bert__bert_" + name + "_pooled.snap"), cls);
        compare(snapshots.resolve("test_bert__bert_" + name + ".snap"), mean);
    }

    static void compare(Path snapshot, List<float[]> ours) throws IOException {
        List<float[]> expected = TeiSnapshot.read(snapshot);
        assertEquals(expected.size(), ours.size(), snapshot.getFileName() + ": number of vectors");
        double worstAbs = 0, worstCos = 1;
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i), o = ours.get(i);
            assertEquals(e.length, o.length, snapshot.getFileName() + " vector " + i + ": dimension");
            double dot = 0, ee = 0, oo = 0;
            for (int j = 0; j < e.length; j++) {
                worstAbs = Math.max(worstAbs, Math.abs(e[j] - o[j]));
                dot += (double) e[j] * o[j];
                ee += (double) e[j] * e[j];
                oo += (double) o[j] * o[j];
            }
            worstCos = Math.min(worstCos, dot / Math.sqrt(ee * oo));
        }
        System.out.printf("%s: %d vectors, max abs diff %.3g, min cosine %.8f%n", snapshot.getFileName(), expected.size(), worstAbs, worstCos);
        assertTrue(worstAbs <= 5e-3, snapshot.getFileName() + ": max abs diff " + worstAbs + " > 5e-3");
        assertTrue(worstCos >= 0.99999, snapshot.getFileName() + ": min cosine " + worstCos + " < 0.99999");
    }
}
