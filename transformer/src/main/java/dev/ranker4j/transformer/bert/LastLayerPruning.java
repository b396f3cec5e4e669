package dev.ranker4j.transformer.bert;

/**
 * Computing the last layer only where its output is read. A model that reads only h_[CLS] of the last layer (a
 * cross-encoder's pooler or pre-classifier, a dual encoder with CLS pooling) needs that layer's keys and values for
 * every token, but its query projection, attention output projection, residuals, layer norms and feed-forward only
 * for position 0: row i of softmax(Q Kᵀ / √d + M) V depends on query i alone among the queries, and everything after
 * the attention is row-wise. The other positions of the last layer never reach the loss, so scores and every
 * gradient are exactly those of the full computation (not an approximation), and the saving applies to the forward
 * and to the backward alike.
 *
 * <p>FLOPs per token and layer (hidden H, feed-forward 4H, seq S): QKV 6H², attention 4SH, output projection 2H²,
 * feed-forward 16H², in all 24H² + 4SH. A pruned position keeps only K and V (4H²) and saves 20H² + 4SH, 84% of its
 * layer at H = 384, S = 128. With 6 layers (MiniLM-L6, DistilBERT) that is ≈ 14% of the encoder's FLOPs; with 12
 * (BERT-base) ≈ 7%.
 *
 * <p>With dropout on (training), the last layer draws masks for the kept rows only, so a pruned and an unpruned run
 * draw different (equally distributed) masks from then on; each one is reproducible and resumes bit-identically.
 *
 * <p>On by default; {@code -Dranker4j.pruneLastLayer=false} turns it off for every model created afterwards (for
 * teaching and comparison), and {@code CrossEncoder.setLastLayerPruning} / {@code DualEncoder.setLastLayerPruning}
 * switch one model. Requests for hidden states or attention maps (distillation) always run the full last layer.
 */
public final class LastLayerPruning {
    /** The system property that sets the default: {@code false} turns pruning off. */
    public static final String PROPERTY = "ranker4j.pruneLastLayer";

    private LastLayerPruning() {}

    /** Whether models prune unless told otherwise: true unless {@value #PROPERTY} is {@code false}. */
    public static boolean enabledByDefault() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip());
    }

    /**
     * The options to hand the encoder when the caller reads only h[:, 0, :] (and the pooled vector):
     * {@link BertOutput.Options#FIRST_TOKEN} when {@code enabled} and {@code requested} asks for no hidden states or
     * attention maps, else {@code requested} unchanged.
     */
    public static BertOutput.Options firstTokenOnly(BertOutput.Options requested, boolean enabled) {
        return enabled && !requested.hiddenStates() && !requested.attentions() ? BertOutput.Options.FIRST_TOKEN : requested;
    }
}
