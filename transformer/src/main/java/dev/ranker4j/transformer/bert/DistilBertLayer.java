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
 * One DistilBERT layer (Sanh et al. 2019; HF {@code TransformerBlock}), on h [batch·seq, dim]:
 * <pre>
 *   a   = sa_layer_norm(h + out_lin(MultiHeadAttention(q_lin h, k_lin h, v_lin h)))
 *   out = output_layer_norm(a + Dropout(lin2(act(lin1 a))))
 * </pre>
 * The same computation as {@link BertLayer} under other names ({@code attention.{q,k,v,out}_lin},
 * {@code sa_layer_norm}, {@code ffn.lin1/lin2}, {@code output_layer_norm}) and without dropout after out_lin.
 */
final class DistilBertLayer extends Module implements EncoderLayer {
    private final int heads;
    private final Linear q, k, v, out, lin1, lin2;
    private final LayerNorm saLayerNorm, outputLayerNorm;
    private final Dropout attentionDropout, ffnDropout;
    private final FeedForwardActivation activation;

    DistilBertLayer(TransformerConfig config, Init init, DType dtype) {
        int dim = config.hiddenSize(), inner = config.intermediateSize();
        double std = config.initializerRange(), eps = TransformerConfig.DISTILBERT_LAYER_NORM_EPS;
        heads = config.numHeads();
        activation = FeedForwardActivation.of(config.activation());
        ModuleGroup attention = registerModule("attention", new ModuleGroup());
        attentionDropout = attention.add("dropout", new Dropout(config.attentionDropout(), init.generator()));
        q = attention.add("q_lin", new Linear(dim, dim, true, std, init, dtype));
        k = attention.add("k_lin", new Linear(dim, dim, true, std, init, dtype));
        v = attention.add("v_lin", new Linear(dim, dim, true, std, init, dtype));
        out = attention.add("out_lin", new Linear(dim, dim, true, std, init, dtype));
        saLayerNorm = registerModule("sa_layer_norm", new LayerNorm(dim, eps, dtype));
        ModuleGroup ffn = registerModule("ffn", new ModuleGroup());
        ffnDropout = ffn.add("dropout", new Dropout(config.hiddenDropout(), init.generator()));
        lin1 = ffn.add("lin1", new Linear(dim, inner, true, std, init, dtype));
        lin2 = ffn.add("lin2", new Linear(inner, dim, true, std, init, dtype));
        outputLayerNorm = registerModule("output_layer_norm", new LayerNorm(dim, eps, dtype));
    }

    @Override
    public MultiHeadAttention.Result forward(Variable h, int batch, int seq, int outputPositions, Tensor additiveMask,
                                             boolean keepProbabilities) {
        MultiHeadAttention.Result attended = MultiHeadAttention.selfAttend(h, q, k, v,
                batch, seq, outputPositions, heads, additiveMask, attentionDropout, keepProbabilities);
        Variable residual = MultiHeadAttention.leadingRows(h, batch, seq, outputPositions);
        Variable a = saLayerNorm.forward(residual.add(out.forward(attended.context())));
        Variable ffnOut = ffnDropout.forward(lin2.forward(lin1.forward(a, activation.op())));
        return new MultiHeadAttention.Result(outputLayerNorm.forward(a.add(ffnOut)), attended.probabilities());
    }
}
