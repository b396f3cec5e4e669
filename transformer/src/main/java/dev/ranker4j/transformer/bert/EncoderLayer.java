package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** One transformer layer of either family: h [batch·seq, hidden] → the next h and its attention probabilities. */
interface EncoderLayer {

    /**
     * Computes the layer's output for the first {@code outputPositions} positions of each sequence (keys and values
     * still come from all {@code seq}), [batch·outputPositions, hidden]. {@code keepProbabilities}: also return the
     * attention probabilities (else the result's may be null).
     */
    MultiHeadAttention.Result forward(Variable h, int batch, int seq, int outputPositions, Tensor additiveMask,
                                      boolean keepProbabilities);

    /**
     * Runs the embedding output {@code embedded} [batch, seq, hidden] through {@code layers}, keeping the hidden
     * states and attention maps {@code options} asks for. Every layer but the last computes all positions; the last
     * computes only the {@link BertOutput.Options#outputPositions() positions the caller reads} ({@link LastLayerPruning}).
     * The pooled vector is left null for the caller.
     */
    static BertOutput runStack(Variable embedded, List<? extends EncoderLayer> layers, BertInput input, BertOutput.Options options) {
        int batch = input.batchSize(), seq = input.sequenceLength(), hidden = embedded.shape()[2];
        int kept = Math.min(options.outputPositions(), seq);
        Variable h = embedded.reshape(batch * seq, hidden);
        Tensor mask = input.additiveMask(h.dtype());
        List<Variable> hiddenStates = new ArrayList<>(), attentions = new ArrayList<>();
        if (options.hiddenStates()) hiddenStates.add(embedded);
        for (int i = 0; i < layers.size(); i++) {
            int positions = i == layers.size() - 1 ? kept : seq;
            MultiHeadAttention.Result out = layers.get(i).forward(h, batch, seq, positions, mask, options.attentions());
            h = out.context();
            if (options.hiddenStates()) hiddenStates.add(h.reshape(batch, seq, hidden));
            if (options.attentions()) attentions.add(out.probabilities());
        }
        if (layers.isEmpty()) h = MultiHeadAttention.leadingRows(h, batch, seq, kept);
        return new BertOutput(h.reshape(batch, kept, hidden), null, hiddenStates, attentions);
    }
}
