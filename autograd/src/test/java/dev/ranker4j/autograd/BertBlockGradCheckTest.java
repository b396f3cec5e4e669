package dev.ranker4j.autograd;

import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole 2-layer BERT-like encoder (hidden 8, 2 heads, seq 5, batch 2, one padded sequence): every parameter's gradient in F64. */
class BertBlockGradCheckTest {

    @Test
    void everyParameterGradientOfATwoLayerEncoderPassesGradCheck() {
        int batch = 2, seq = 5;
        TinyBert model = new TinyBert(11, 8, 8, 2, 16, 2, 7);
        model.to(DType.F64);
        model.eval(); // dropout off: the numeric differences must see the same function every time
        Tensor ids = Tensor.fromArray(new int[] {1, 5, 3, 9, 2, 1, 4, 4, 0, 0}, batch, seq);
        Tensor types = Tensor.fromArray(new int[] {0, 0, 1, 1, 1, 0, 0, 1, 0, 0}, batch, seq);
        int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}; // the second sequence has two padding positions

        Map<String, Parameter> parameters = model.namedParameters();
        GradCheck.Report report = GradCheck.checkParameters(parameters,
                () -> model.forward(ids, types, mask, batch, seq), GradCheck.Options.DEFAULT);
        assertTrue(report.passed(), report.toString());
        assertEquals(model.parameterCount(), report.checkedElements());
    }

    @Test
    void parameterNamesAreHuggingFaceKeys() {
        TinyBert model = new TinyBert(11, 8, 8, 2, 16, 2, 7);
        var names = model.namedParameters().keySet();
        assertTrue(names.contains("embeddings.word_embeddings.weight"), names.toString());
        assertTrue(names.contains("encoder.layer.1.attention.self.query.weight"), names.toString());
        assertTrue(names.contains("encoder.layer.0.attention.output.LayerNorm.bias"), names.toString());
        assertTrue(names.contains("encoder.layer.1.output.dense.weight"), names.toString());
        assertEquals(5 + 2 * 16, names.size());
    }
}
