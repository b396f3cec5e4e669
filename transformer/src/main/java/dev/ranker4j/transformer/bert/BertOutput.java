package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;

import java.util.List;

/**
 * What an encoder returns (Hugging Face's {@code BaseModelOutputWithPooling}).
 *
 * @param lastHiddenState [batch, seq, hidden]; [batch, n, hidden] when {@link Options#outputPositions()} asked for
 *                        only the first n positions
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
     * Which optional outputs to keep, and which positions of the last hidden state the caller reads. Keeping hidden
     * states or attention maps costs memory (every layer's activations stay reachable) but no compute: distillation
     * needs them, inference does not. Reading fewer positions saves compute: the last layer then runs its query
     * projection, attention output, feed-forward and layer norms for those rows only ({@link LastLayerPruning}).
     *
     * @param outputPositions the last hidden state holds the first {@code outputPositions} positions of each sequence
     *                        ({@link #ALL_POSITIONS}: all of them); fewer than all only without hidden states and
     *                        attentions, which would show the last layer's partial rows
     */
    public record Options(boolean hiddenStates, boolean attentions, int outputPositions) {
        /** Every position of the last hidden state. */
        public static final int ALL_POSITIONS = Integer.MAX_VALUE;
        /** Only the last hidden state (and the pooled vector when there is a pooler). */
        public static final Options DEFAULT = new Options(false, false);
        /** Every hidden state and every attention map. */
        public static final Options ALL = new Options(true, true);
        /** Only h[:, 0, :], the [CLS] vector (and the pooled vector computed from it): what CLS readers need. */
        public static final Options FIRST_TOKEN = new Options(false, false, 1);

        public Options {
            if (outputPositions < 1) {
                throw new IllegalArgumentException("BertOutput.Options: outputPositions must be at least 1, got " + outputPositions);
            }
            if (outputPositions != ALL_POSITIONS && (hiddenStates || attentions)) {
                throw new IllegalArgumentException("BertOutput.Options: outputPositions = " + outputPositions
                        + " cannot be combined with hidden states or attentions (the last layer would be partial)");
            }
        }

        /** All positions, with or without hidden states and attention maps. */
        public Options(boolean hiddenStates, boolean attentions) {
            this(hiddenStates, attentions, ALL_POSITIONS);
        }
    }
}
