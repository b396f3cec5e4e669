package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.LayerNorm;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

/**
 * One post-LN BERT layer (Devlin et al. 2019; HF {@code BertLayer}), on h [batch·seq, hidden]:
 * <pre>
 *   a   = LayerNorm(h + Dropout(W_o · MultiHeadAttention(W_q h, W_k h, W_v h) + b_o))
 *   out = LayerNorm(a + Dropout(W_2 · act(W_1 a + b_1) + b_2))
 * </pre>
 * Names: {@code attention.self.{query,key,value}}, {@code attention.output.{dense,LayerNorm}},
 * {@code intermediate.dense}, {@code output.{dense,LayerNorm}}.
 */
final class BertLayer extends Module implements EncoderLayer {
    private final int heads;
    private final Linear query, key, value, attentionDense, intermediateDense, outputDense;
    private final LayerNorm attentionNorm, outputNorm;
    private final Dropout attentionDropout, attentionOutputDropout, outputDropout;
    private final FeedForwardActivation activation;

    BertLayer(TransformerConfig config, Init init, DType dtype) {
        int hidden = config.hiddenSize(), inner = config.intermediateSize();
        double std = config.initializerRange(), eps = config.layerNormEps();
        heads = config.numHeads();
        activation = FeedForwardActivation.of(config.activation());

        ModuleGroup attention = registerModule("attention", new ModuleGroup());
        ModuleGroup self = attention.add("self", new ModuleGroup());
        query = self.add("query", new Linear(hidden, hidden, true, std, init, dtype));
        key = self.add("key", new Linear(hidden, hidden, true, std, init, dtype));
        value = self.add("value", new Linear(hidden, hidden, true, std, init, dtype));
        attentionDropout = self.add("dropout", new Dropout(config.attentionDropout(), init.generator()));
        ModuleGroup attentionOutput = attention.add("output", new ModuleGroup());
        attentionDense = attentionOutput.add("dense", new Linear(hidden, hidden, true, std, init, dtype));
        attentionNorm = attentionOutput.add("LayerNorm", new LayerNorm(hidden, eps, dtype));
        attentionOutputDropout = attentionOutput.add("dropout", new Dropout(config.hiddenDropout(), init.generator()));

        ModuleGroup intermediate = registerModule("intermediate", new ModuleGroup());
        intermediateDense = intermediate.add("dense", new Linear(hidden, inner, true, std, init, dtype));
        ModuleGroup output = registerModule("output", new ModuleGroup());
        outputDense = output.add("dense", new Linear(inner, hidden, true, std, init, dtype));
        outputNorm = output.add("LayerNorm", new LayerNorm(hidden, eps, dtype));
        outputDropout = output.add("dropout", new Dropout(config.hiddenDropout(), init.generator()));
    }

    /**
     * h [batch·seq, hidden] → the layer output for the first {@code outputPositions} positions of each sequence
     * [batch·outputPositions, hidden], and the attention probabilities. Everything after the attention is row-wise,
     * so the residual, dense layers and norms simply run on the kept rows.
     */
    @Override
    public MultiHeadAttention.Result forward(Variable h, int batch, int seq, int outputPositions, Tensor additiveMask,
                                             boolean keepProbabilities) {
        MultiHeadAttention.Result attended = MultiHeadAttention.selfAttend(h, query, key, value,
                batch, seq, outputPositions, heads, additiveMask, attentionDropout, keepProbabilities);
        Variable residual = MultiHeadAttention.leadingRows(h, batch, seq, outputPositions);
        Variable a = attentionNorm.forward(residual.add(attentionOutputDropout.forward(attentionDense.forward(attended.context()))));
        Variable inner = intermediateDense.forward(a, activation.op());
        Variable out = outputNorm.forward(a.add(outputDropout.forward(outputDense.forward(inner))));
        return new MultiHeadAttention.Result(out, attended.probabilities());
    }
}
