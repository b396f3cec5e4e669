package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.hfio.keys.SentenceTransformersDirectory;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Texts to vectors for inference, as sentence-transformers does: tokenize (truncating to {@code maxLength}), encode,
 * pool (CLS or mean over real tokens, from the directory's {@code 1_Pooling/config.json}; mean when the directory
 * has no sentence-transformers files), and L2-normalise when a {@code Normalize} module is listed (or asked for).
 *
 * <p>Batches are length-bucketed: the texts are sorted by token count, cut into batches of {@code batchSize}
 * consecutive texts, each padded only to its own longest text, and the vectors are put back in input order. Real
 * corpora are skewed, so this removes most padding compared with one fixed length. No graph is recorded. With CLS
 * pooling the last layer runs for [CLS] only ({@link LastLayerPruning}).
 */
public final class SentenceEncoder {
    /** Texts per forward pass unless {@link #withBatchSize} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final WordPieceTokenizer tokenizer;
    private final TransformerEncoder model;
    private final PoolingMode pooling;
    /** Where each batch's activations live (see {@link ActivationArena}). */
    private final ActivationArena arena = new ActivationArena();
    private final boolean normalize;
    private final int batchSize;

    public SentenceEncoder(WordPieceTokenizer tokenizer, TransformerEncoder model, PoolingMode pooling, boolean normalize, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        this.tokenizer = tokenizer;
        this.model = model;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
        model.eval();
    }

    /** Tokenizer, F32 model, pooling and normalisation from a (sentence-transformers or plain Hugging Face) directory. */
    public static SentenceEncoder load(Path directory) throws IOException {
        Optional<SentenceTransformersDirectory> st = SentenceTransformersDirectory.detect(directory);
        Path modelDirectory = st.map(SentenceTransformersDirectory::transformerDirectory).orElse(directory);
        TransformerEncoder model = TransformerEncoder.load(modelDirectory, LoadOptions.DEFAULT);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(modelDirectory);
        return new SentenceEncoder(tokenizer, model, st.map(SentenceTransformersDirectory::pooling).orElse(PoolingMode.MEAN),
                st.map(SentenceTransformersDirectory::normalize).orElse(false), DEFAULT_BATCH_SIZE);
    }

    public SentenceEncoder withBatchSize(int newBatchSize) {
        return new SentenceEncoder(tokenizer, model, pooling, normalize, newBatchSize);
    }

    /** The same encoder with L2 normalisation switched on or off. */
    public SentenceEncoder withNormalize(boolean on) {
        return new SentenceEncoder(tokenizer, model, pooling, on, batchSize);
    }

    /** One vector per text, in input order; each text is truncated to {@code maxLength} tokens (specials included). */
    public float[][] encode(List<String> texts, int maxLength) {
        Truncation truncation = Truncation.longestFirst(maxLength);
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) encodings.add(tokenizer.encode(text, truncation));
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> encodings.get(i).length()).reversed());

        float[][] vectors = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<Encoding> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) batch.add(encodings.get(order[i]));
            float[][] pooled = encodeBatch(tokenizer.pad(batch, Padding.LONGEST));
            for (int i = start; i < end; i++) vectors[order[i]] = pooled[i - start];
        }
        return vectors;
    }

    /** Pooled (and normalised) vectors of one padded batch, [batch][hidden]. */
    public float[][] encodeBatch(BatchEncoding batch) {
        // The batch's activations come from the arena and go back when the vectors are copied out (ActivationArena):
        // after the first batches of a length an encoding run allocates almost nothing.
        try (NoGrad ignored = NoGrad.enter(); ActivationArena.Step step = arena.begin()) {
            BertInput input = BertInput.of(batch);
            boolean prune = pooling == PoolingMode.CLS && LastLayerPruning.enabledByDefault(); // CLS reads position 0 only
            Variable hidden = model.forward(input, prune ? BertOutput.Options.FIRST_TOKEN : BertOutput.Options.DEFAULT)
                    .lastHiddenState();
            Variable pooled = Pooling.apply(pooling, hidden, input.attentionMask());
            if (normalize) pooled = Pooling.l2Normalize(pooled);
            int rows = pooled.shape()[0], dim = pooled.shape()[1];
            float[] flat = pooled.value().contiguous().toFloatArray();
            float[][] out = new float[rows][];
            for (int r = 0; r < rows; r++) out[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
            return out;
        }
    }

    public TransformerEncoder model() {
        return model;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    public boolean normalizes() {
        return normalize;
    }
}
