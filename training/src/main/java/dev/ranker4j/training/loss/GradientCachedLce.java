package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * LCE for groups too large to hold one computation graph in memory, by gradient caching (the idea of the Reranker
 * toolkit's RerankerDC, Gao, Dai &amp; Callan, ECIR 2021; Gao, Zhang, Han &amp; Callan, "Scaling Deep Contrastive
 * Learning Batch Size under Memory Limited Setup", RepL4NLP 2021). The loss L(s) depends on the model only through
 * the scores s, so by the chain rule
 * <pre>
 *   dL/dθ = Σ_chunks (dL/ds_chunk)ᵀ · ds_chunk/dθ
 * </pre>
 * Step 1 scores every chunk without a graph; step 2 computes g = dL/ds on the (cheap) score vector alone; step 3
 * re-scores each chunk with a graph and back-propagates the seed g_chunk. Only one chunk's activations live at a time.
 * The parameter gradients equal those of {@link LocalizedContrastiveLoss} on the whole batch up to rounding, provided
 * the scorer gives the same scores in both passes: with dropout on, it must replay the masks of the first pass
 * (as {@code CrossEncoderLceObjective} does by restoring the dropout generators' states).
 */
public final class GradientCachedLce {

    /** Scores the examples [start, end) of the batch, in order; called once without and once with a graph. */
    @FunctionalInterface
    public interface ChunkScorer {
        Variable score(int start, int end);
    }

    private final LocalizedContrastiveLoss loss;
    private final int chunkSize;

    /** @param chunkSize how many (query, passage) pairs to score per forward pass */
    public GradientCachedLce(int groupSize, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("GradientCachedLce: chunk size must be >= 1, got " + chunkSize);
        this.loss = new LocalizedContrastiveLoss(groupSize);
        this.chunkSize = chunkSize;
    }

    /**
     * Accumulates dL/dθ into the parameters' gradients for a batch of {@code pairs} (query, passage) pairs, grouped
     * as {@link LocalizedContrastiveLoss} expects, and returns the loss value.
     */
    public double backward(int pairs, ChunkScorer scorer) {
        // Step 1: every score, no graph.
        List<Tensor> chunks = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < pairs; start += chunkSize) {
                chunks.add(scorer.score(start, Math.min(pairs, start + chunkSize)).value().reshape(-1));
            }
        }
        // Step 2: dL/ds on a leaf holding all the scores.
        Variable scores = new Variable(Tensor.concat(0, chunks), true);
        Variable value = loss.compute(scores);
        value.backward();
        Tensor scoreGradient = scores.grad();
        // Step 3: re-run each chunk with a graph, injecting its slice of dL/ds.
        for (int start = 0; start < pairs; start += chunkSize) {
            int end = Math.min(pairs, start + chunkSize);
            Variable chunkScores = scorer.score(start, end);
            Tensor seed = scoreGradient.narrow(0, start, end - start).contiguous().reshape(chunkScores.shape());
            chunkScores.backward(seed);
        }
        return value.item();
    }
}
