package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.LoadReport;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DistilBertModel in F64 against PyTorch's float64 forward in {@code ../shared/reference/distilbert/}: the last
 * hidden state, every hidden state (embedding output, then each layer) and every attention map, with padding.
 * Tolerance (issue 4): max |ours − torch| ≤ 1e-10 · max |torch| per tensor.
 */
class DistilBertReferenceTest {

    @Test
    void float64ForwardMatchesPyTorch() throws Exception {
        Path dir = SharedData.require("reference/distilbert");
        DistilBertModel model = DistilBertModel.fromConfig(TransformerConfigJson.read(dir.resolve("config.json")), 1, DType.F64);
        model.eval();
        try (SafetensorsFile reference = SafetensorsFile.open(dir.resolve("distilbert_forward.safetensors"))) {
            LoadReport report = model.loadWeights(reference, List.of());
            assertTrue(report.missing().isEmpty(), report.summary());
            Tensor ids = tensorI64(reference, "input.input_ids"), mask = tensorI64(reference, "input.attention_mask");
            BertOutput out;
            try (NoGrad ignored = NoGrad.enter()) {
                out = model.forward(new BertInput(ids, mask, null), BertOutput.Options.ALL);
            }
            assertEquals(3, out.hiddenStates().size());
            assertEquals(2, out.attentions().size());
            assertClose(reference, "output.last_hidden_state", out.lastHiddenState().value());
            for (int i = 0; i < 3; i++) assertClose(reference, "output.hidden_states." + i, out.hiddenStates().get(i).value());
            for (int i = 0; i < 2; i++) assertClose(reference, "output.attentions." + i, out.attentions().get(i).value());
        }
    }

    static Tensor tensorI64(SafetensorsFile file, String name) {
        return Tensor.fromArray(file.readI64(name), shape(file, name));
    }

    static int[] shape(SafetensorsFile file, String name) {
        return java.util.Arrays.stream(file.info(name).shape()).mapToInt(Math::toIntExact).toArray();
    }

    static void assertClose(SafetensorsFile file, String name, Tensor ours) {
        double[] expected = file.readF64(name);
        assertEquals(java.util.Arrays.toString(shape(file, name)), java.util.Arrays.toString(ours.shape()), name + " shape");
        double[] actual = ours.contiguous().toDoubleArray();
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        System.out.printf("%s: max abs diff %.3g, relative %.3g%n", name, worst, worst / scale);
        assertTrue(worst <= 1e-10 * scale, name + ": max abs diff " + worst + " exceeds 1e-10 × " + scale);
    }
}
