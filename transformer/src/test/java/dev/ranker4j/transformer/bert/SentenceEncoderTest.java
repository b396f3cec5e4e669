package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Length-bucketed encoding gives each text the vector it gets alone; pooling helpers. */
class SentenceEncoderTest {

    @Test
    void bucketedBatchesRestoreInputOrderAndMatchOneAtATime() throws Exception {
        Path modelDir = SharedData.require("models/all-MiniLM-L6-v2");
        List<String> texts = List.of("a short one", "What is Deep Learning?",
                "a considerably longer text about protein folding and the structure of membranes in cells", "x",
                "Deep Learning is...");
        SentenceEncoder encoder = SentenceEncoder.load(modelDir).withBatchSize(2).withNormalize(true);
        assertEquals(PoolingMode.MEAN, encoder.pooling(), "no sentence-transformers files: mean pooling");
        float[][] bucketed = encoder.encode(texts, 16);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = encoder.encodeBatch(encoder.tokenizer().encodeBatch(List.of(texts.get(i)),
                    Truncation.longestFirst(16), Padding.LONGEST))[0];
            double norm = 0;
            for (int j = 0; j < alone.length; j++) {
                assertEquals(alone[j], bucketed[i][j], 2e-5, "text " + i + " component " + j);
                norm += (double) bucketed[i][j] * bucketed[i][j];
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
    }

    /** With CLS pooling the last layer runs for [CLS] only (LastLayerPruning); the vectors are the full layer's. */
    @Test
    void clsPoolingReadsTheFullModelsFirstToken() throws Exception {
        SentenceEncoder loaded = SentenceEncoder.load(SharedData.require("models/all-MiniLM-L6-v2"));
        SentenceEncoder cls = new SentenceEncoder(loaded.tokenizer(), loaded.model(), PoolingMode.CLS, false, 4);
        var batch = cls.tokenizer().encodeBatch(List.of("a short one", "a considerably longer text about protein folding", "x"),
                Truncation.longestFirst(32), Padding.LONGEST);
        float[][] vectors = cls.encodeBatch(batch);
        try (NoGrad ignored = NoGrad.enter()) {
            Variable full = loaded.model().forward(BertInput.of(batch), BertOutput.Options.DEFAULT).lastHiddenState();
            float[] first = Pooling.cls(full).value().contiguous().toFloatArray();
            int dim = vectors[0].length;
            for (int i = 0; i < vectors.length; i++) {
                for (int j = 0; j < dim; j++) assertEquals(first[i * dim + j], vectors[i][j], 1e-5, "text " + i + " component " + j);
            }
        }
    }

    @Test
    void meanPoolingIgnoresPaddingAndHasItsGradient() {
        Tensor h = Tensor.fromArray(new double[] {1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10}, 2, 3, 2);
        Tensor mask = Tensor.fromArray(new long[] {1, 1, 0, 1, 1, 1}, 2, 3);
        Variable hidden = new Variable(h, true);
        Variable mean = Pooling.mean(hidden, mask);
        assertArrayEquals(new double[] {2, 3, 7, 8}, mean.value().toDoubleArray(), 1e-12);
        mean.sum().backward();
        assertArrayEquals(new double[] {.5, .5, .5, .5, 0, 0, 1 / 3., 1 / 3., 1 / 3., 1 / 3., 1 / 3., 1 / 3.},
                hidden.grad().toDoubleArray(), 1e-12);
        try (NoGrad ignored = NoGrad.enter()) {
            assertArrayEquals(new double[] {1, 2, 5, 6}, Pooling.cls(hidden).value().toDoubleArray());
            Variable unit = Pooling.l2Normalize(Variable.constant(Tensor.fromArray(new double[] {3, 4}, 1, 2)));
            assertArrayEquals(new double[] {.6, .8}, unit.value().toDoubleArray(), 1e-12);
        }
        assertEquals(DType.F64, mean.dtype());
    }
}
