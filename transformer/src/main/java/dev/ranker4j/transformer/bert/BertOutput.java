package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;

import java.util.List;

/**
 * What an encoder returns (Hugging Face's {@code BaseModelOutputWithPooling}).
 *
 * @param lastHiddenState [batch, seq, hidden]
 * @param pooled          tanh(W · h_CLS + b) [batch, hidden], or null when the model has no pooler
 * @param hiddenStates    the embedding output, then each layer's output, each [batch, seq, hidden]; empty unless
 *                        {@link Options#hiddenStates()} was requested
 * @param attentions      each layer's attention probabilities [batch, heads, seq, seq] (after the softmax, before
 *                        dropout); empty unless {@link Options#attentions()} was requested
 */
public record BertOutput(Variable lastHiddenState, Variable pooled, List<Variable> hiddenStates, List<Variable> attentions) {

    public BertOutput {
        hiddenStates = List.copyOf(hiddenStates);
        attentions = List.copyOf(attentions);
    }

    /**
     * Which optional outputs to keep. Keeping them costs memory (every layer's activations stay reachable) but
     * no compute: distillation needs them, inference does not.
     */
    public record Options(boolean hiddenStates, boolean attentions) {
        /** Only the last hidden state (and the pooled vector when there is a pooler). */
        public static final Options DEFAULT = new Options(false, false);
        /** Every hidden state and every attention map. */
        public static final Options ALL = new Options(true, true);
    }
}
