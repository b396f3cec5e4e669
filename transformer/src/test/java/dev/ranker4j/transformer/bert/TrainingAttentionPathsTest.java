package dev.ranker4j.transformer.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In training mode with attention dropout, the encoder runs the fused attention op, whose kernels draw the dropout
 * mask of the probabilities themselves; asking for the attention probabilities ({@link BertOutput.Options#attentions})
 * makes it compose softmax, dropout and matmul instead. Both must be the same function: same outputs, same gradients
 * (to float rounding; the masks are the same elements, bit for bit), and the generator left at the same count, so a
 * training run does not depend on which path ran. Attention dropout is 0.5 here, so plenty is dropped.
 */
class TrainingAttentionPathsTest {

    @Test
    void fusedAndComposedAttentionDropTheSameElements() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            BertModel fused = model(dtype), composed = model(dtype);
            BertOutput a = fused.forward(TinyConfigs.paddedBatch(), BertOutput.Options.DEFAULT);
            BertOutput b = composed.forward(TinyConfigs.paddedBatch(), new BertOutput.Options(false, true));
            assertEquals(0, a.attentions().size(), "the fused path keeps no probabilities");
            assertEquals(2, b.attentions().size(), "the composed path ran and kept them");
            double tolerance = dtype == DType.F32 ? 2e-5 : 1e-12;
            assertClose("last hidden state " + dtype, a.lastHiddenState().value(), b.lastHiddenState().value(), tolerance);
            assertEquals(generatorStates(fused), generatorStates(composed), "generator counters " + dtype);
            Tensor weights = new SeededRandom(9).uniform(dtype, -1, 1, a.lastHiddenState().shape());
            a.lastHiddenState().mul(Variable.constant(weights)).sum().backward();
            b.lastHiddenState().mul(Variable.constant(weights)).sum().backward();
            Map<String, Parameter> pa = fused.namedParameters(), pb = composed.namedParameters();
            for (String name : pa.keySet()) {
                if (pa.get(name).grad() == null) continue;
                assertClose(name + " gradient " + dtype, pa.get(name).grad(), pb.get(name).grad(), tolerance * 10);
            }
        }
    }

    /** A tiny BERT with attention dropout 0.5, in training mode. */
    private static BertModel model(DType dtype) {
        TransformerConfig config;
        try {
            config = TransformerConfigJson.parse(Path.of("tiny-config.json"), """
                    {"model_type": "bert", "vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 2,
                     "num_attention_heads": 2, "intermediate_size": 12, "max_position_embeddings": 16,
                     "type_vocab_size": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                     "attention_probs_dropout_prob": 0.5, "initializer_range": 0.5}""");
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
        BertModel model = BertModel.fromConfig(config, 11, DType.F32, true);
        model.to(dtype);
        model.train();
        return model;
    }

    private static List<SeededRandom.State> generatorStates(Module module) {
        List<SeededRandom.State> states = new ArrayList<>();
        collect(module, states);
        return states;
    }

    private static void collect(Module module, List<SeededRandom.State> states) {
        if (module instanceof Dropout d) states.add(d.generator().state());
        for (Module child : module.children().values()) collect(child, states);
    }

    private static void assertClose(String what, Tensor x, Tensor y, double tolerance) {
        double[] p = x.toDoubleArray(), q = y.toDoubleArray();
        assertEquals(q.length, p.length, what);
        for (int i = 0; i < p.length; i++) {
            assertTrue(Math.abs(p[i] - q[i]) <= tolerance * (1 + Math.abs(q[i])), what + " element " + i + ": fused "
                    + p[i] + ", composed " + q[i]);
        }
    }
}
