package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** One transformer layer of either family: h [batch·seq, hidden] → the next h and its attention probabilities. */
interface EncoderLayer {

    /** {@code keepProbabilities}: also return the attention probabilities (else the result's may be null). */
    MultiHeadAttention.Result forward(Variable h, int batch, int seq, Tensor additiveMask, boolean keepProbabilities);

    /**
     * Runs the embedding output {@code embedded} [batch, seq, hidden] through {@code layers}, keeping the hidden
     * states and attention maps {@code options} asks for. The pooled vector is left null for the caller.
     */
    static BertOutput runStack(Variable embedded, List<? extends EncoderLayer> layers, BertInput input, BertOutput.Options options) {
        int batch = input.batchSize(), seq = input.sequenceLength(), hidden = embedded.shape()[2];
        Variable h = embedded.reshape(batch * seq, hidden);
        Tensor mask = input.additiveMask(h.dtype());
        List<Variable> hiddenStates = new ArrayList<>(), attentions = new ArrayList<>();
        if (options.hiddenStates()) hiddenStates.add(embedded);
        for (EncoderLayer layer : layers) {
            MultiHeadAttention.Result out = layer.forward(h, batch, seq, mask, options.attentions());
            h = out.context();
            if (options.hiddenStates()) hiddenStates.add(h.reshape(batch, seq, hidden));
            if (options.attentions()) attentions.add(out.probabilities());
        }
        return new BertOutput(h.reshape(batch, seq, hidden), null, hiddenStates, attentions);
    }
}
