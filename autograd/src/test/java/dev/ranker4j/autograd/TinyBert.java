package dev.ranker4j.autograd;

import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Embedding;
import dev.ranker4j.autograd.nn.LayerNorm;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.ModuleList;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;



/**
 * A BERT-like encoder built only from this module's layers, with Hugging Face's parameter names: embeddings (word,
 * position, token type, LayerNorm), then layers of multi-head self-attention with an additive padding mask,
 * residual + post-LayerNorm, and an exact-GELU feed-forward block. Used to gradient-check a whole model.
 */
final class TinyBert extends Module {
    final int hidden, heads;
    private final Embeddings embeddings;
    private final Encoder encoder;

    TinyBert(int vocab, int maxPositions, int hidden, int heads, int intermediate, int layers, long seed) {
        this.hidden = hidden;
        this.heads = heads;
        SeededRandom random = new SeededRandom(seed);
        embeddings = registerModule("embeddings", new Embeddings(vocab, maxPositions, hidden, random));
        encoder = registerModule("encoder", new Encoder(layers, hidden, heads, intermediate, random));
    }

    /** ids [batch, seq] (I32), attention mask [batch, seq] of 1 (token) / 0 (padding) → [batch, seq, hidden]. */
    Variable forward(Tensor ids, Tensor typeIds, int[] attentionMask, int batch, int seq) {
        // HF's extended mask: (1 − m) · large negative, shaped [batch, 1, 1, seq] to broadcast over heads and queries.
        double[] additive = new double[attentionMask.length];
        for (int i = 0; i < additive.length; i++) additive[i] = attentionMask[i] == 1 ? 0 : -1e4;
        Tensor mask = Tensor.fromArray(additive, batch, 1, 1, seq);
        Variable h = embeddings.forward(ids, typeIds, seq);
        return encoder.forward(h, mask.to(h.dtype()));
    }

    static final class Embeddings extends Module {
        private final Embedding word, position, tokenType;
        private final LayerNorm layerNorm;
        private final Dropout dropout;

        Embeddings(int vocab, int maxPositions, int hidden, SeededRandom random) {
            word = registerModule("word_embeddings", new Embedding(vocab, hidden, 0.5, random, DType.F32));
            position = registerModule("position_embeddings", new Embedding(maxPositions, hidden, 0.5, random, DType.F32));
            tokenType = registerModule("token_type_embeddings", new Embedding(2, hidden, 0.5, random, DType.F32));
            layerNorm = registerModule("LayerNorm", new LayerNorm(hidden, 1e-12, DType.F32));
            dropout = registerModule("dropout", new Dropout(0.1, random));
        }

        Variable forward(Tensor ids, Tensor typeIds, int seq) {
            int[] positions = new int[seq];
            for (int i = 0; i < seq; i++) positions[i] = i;
            Variable sum = word.forward(ids).add(position.forward(Tensor.fromArray(positions, seq))).add(tokenType.forward(typeIds));
            return dropout.forward(layerNorm.forward(sum));
        }
    }

    static final class Encoder extends Module {
        private final Layer[] layers;

        Encoder(int count, int hidden, int heads, int intermediate, SeededRandom random) {
            ModuleList<Layer> list = registerModule("layer", new ModuleList<>());
            layers = new Layer[count];
            for (int i = 0; i < count; i++) layers[i] = list.add(new Layer(hidden, heads, intermediate, random));
        }

        Variable forward(Variable h, Tensor mask) {
            for (Layer layer : layers) h = layer.forward(h, mask);
            return h;
        }
    }

    /** A plain named group of submodules (HF nests names such as attention.self.query). */
    static final class Container extends Module {
        <M extends Module> M add(String name, M module) {
            return registerModule(name, module);
        }
    }

    /** One post-LN transformer layer: h = LN(h + Attn(h)); h = LN(h + W₂ GELU(W₁ h)). */
    static final class Layer extends Module {
        private final Linear query, key, value, attentionOutput, intermediate, output;
        private final LayerNorm attentionNorm, outputNorm;
        private final int heads;

        Layer(int hidden, int heads, int inner, SeededRandom random) {
            this.heads = heads;
            Container attention = registerModule("attention", new Container());
            Container self = attention.add("self", new Container());
            query = self.add("query", new Linear(hidden, hidden, true, 0.5, random, DType.F32));
            key = self.add("key", new Linear(hidden, hidden, true, 0.5, random, DType.F32));
            value = self.add("value", new Linear(hidden, hidden, true, 0.5, random, DType.F32));
            Container out = attention.add("output", new Container());
            attentionOutput = out.add("dense", new Linear(hidden, hidden, true, 0.5, random, DType.F32));
            attentionNorm = out.add("LayerNorm", new LayerNorm(hidden, 1e-12, DType.F32));
            Container inter = registerModule("intermediate", new Container());
            intermediate = inter.add("dense", new Linear(hidden, inner, true, 0.5, random, DType.F32));
            Container outBlock = registerModule("output", new Container());
            output = outBlock.add("dense", new Linear(inner, hidden, true, 0.5, random, DType.F32));
            outputNorm = outBlock.add("LayerNorm", new LayerNorm(hidden, 1e-12, DType.F32));
        }

        Variable forward(Variable h, Tensor mask) {
            int[] s = h.shape();
            int batch = s[0], seq = s[1], hidden = s[2], headDim = hidden / heads;
            // [batch, seq, hidden] → [batch, heads, seq, headDim]
            Variable q = query.forward(h).reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
            Variable k = key.forward(h).reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
            Variable v = value.forward(h).reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
            Variable scores = q.matmul(k, false, true).mul(1.0 / Math.sqrt(headDim));      // [batch, heads, seq, seq]
            Variable probabilities = Ops.softmax(scores, mask);
            Variable context = probabilities.matmul(v).permute(0, 2, 1, 3).reshape(batch, seq, hidden);
            Variable attended = attentionNorm.forward(h.add(attentionOutput.forward(context)));
            Variable ffn = output.forward(intermediate.forward(attended).gelu());
            return outputNorm.forward(attended.add(ffn));
        }
    }
}
