package dev.ranker4j.api;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.transformer.bert.SentenceEncoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns texts into vectors with a dual encoder (a sentence-transformers or plain BERT directory), in one call from
 * any number of threads.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.load("sentence-transformers/all-MiniLM-L6-v2")) {
 *     float[][] vectors = embedder.embed(List.of("What is Deep Learning?", "Deep Learning is..."));
 * }
 * }</pre>
 *
 * <p>Pooling (CLS or mean over the real tokens) and normalisation come from the directory; options override the
 * normalisation, the length limit (texts are truncated to it) and the batch size. Inside: tokenization, batches in
 * the order {@code ranker4j encode} uses (longest text first, so each batch pads little), inference without a graph,
 * vectors back in input order. {@link #embed} gives exactly the vectors {@code ranker4j encode} writes for the same
 * texts and options, bit for bit.
 *
 * <p>Thread-safe: calls from many threads are served one at a time by the model's own inference thread (each forward
 * pass already spreads over all kernel threads); hand many texts over in one call to share forward passes.
 */
public final class Embedder implements AutoCloseable {
    private final ModelInfo description;
    private final SentenceEncoder encoder;
    private final int maxLength;
    private final int batchSize;
    /** Normalise after pooling, as {@code encode --normalize} does (besides any Normalize module of the model). */
    private final boolean normalizeAfter;
    private final InferenceThread inference;

    private Embedder(ModelInfo description, SentenceEncoder encoder, int maxLength, int batchSize, boolean normalizeAfter) {
        this.description = description;
        this.encoder = encoder;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.normalizeAfter = normalizeAfter;
        this.inference = new InferenceThread("ranker4j-embedder-" + description.directory().getFileName());
    }

    /** Loads a model directory with the {@linkplain EmbedderOptions#defaults() default options}. */
    public static Embedder load(Path directory) throws IOException {
        return load(directory.toString(), EmbedderOptions.defaults());
    }

    public static Embedder load(Path directory, EmbedderOptions options) throws IOException {
        return load(directory.toString(), options);
    }

    /**
     * Loads {@code model}: a directory, or a Hugging Face Hub id {@code ORG/NAME[@revision]} (downloaded once into
     * the Hub cache; {@code HF_HUB_OFFLINE=1} for the cache only), with the default options.
     */
    public static Embedder load(String model) throws IOException {
        return load(model, EmbedderOptions.defaults());
    }

    public static Embedder load(String model, EmbedderOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Path directory = ModelLocator.locate(model);
        ComputeBackend.useThreads(options.threads());
        SentenceEncoder encoder = sentenceEncoder(directory, options.batchSize());
        Reranker.checkPositions(model, "maxLength", options.maxLength(), encoder.model().config());
        boolean normalizeAfter = Boolean.TRUE.equals(options.normalize());
        if (Boolean.FALSE.equals(options.normalize())) encoder = encoder.withNormalize(false);
        ModelInfo info = new ModelInfo(model, directory, RerankerKind.DUAL_ENCODER.id(), options.maxLength(),
                options.batchSize(), encoder.model().config().hiddenSize(), encoder.pooling().name().toLowerCase(Locale.ROOT),
                normalizeAfter || encoder.normalizes(), "float32", null, 0);
        return new Embedder(info, encoder, options.maxLength(), options.batchSize(), normalizeAfter);
    }

    /** The encoder of a directory as {@code ranker4j encode} loads it, its weights kept on a device backend's device. */
    static SentenceEncoder sentenceEncoder(Path directory, int batchSize) throws IOException {
        SentenceEncoder encoder = SentenceEncoder.load(directory).withBatchSize(batchSize);
        if (encoder.model() instanceof Module weights) weights.keepParametersOnDevice(ComputeBackend.current());
        return encoder;
    }

    /** One vector per text, in input order, each text truncated to {@code maxLength} tokens. */
    public float[][] embed(List<String> texts) {
        List<String> copy = Reranker.texts(texts, "texts");
        if (copy.isEmpty()) return new float[0][];
        return inference.call(() -> encode(copy));
    }

    /** The vector of one text. */
    public float[] embed(String text) {
        return embed(List.of(Objects.requireNonNull(text, "text")))[0];
    }

    /**
     * {@code ranker4j encode}'s batches: {@link CorpusEncoder#longestFirst} order cut into runs of {@code batchSize}
     * texts, each encoded by one {@link SentenceEncoder#encode} call, normalised as {@code --normalize} does.
     */
    private float[][] encode(List<String> texts) {
        int[] order = CorpusEncoder.longestFirst(texts);
        float[][] vectors = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<String> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) batch.add(texts.get(order[i]));
            float[][] encoded = encoder.encode(batch, maxLength);
            for (int i = start; i < end; i++) {
                float[] vector = encoded[i - start];
                if (normalizeAfter) DenseVectors.normalizeInPlace(vector);
                vectors[order[i]] = vector;
            }
        }
        return vectors;
    }

    /**
     * Throws when a text has more tokens than the model reads, for callers that must not truncate silently (the
     * server's {@code "truncate": false}). Runs on the calling thread.
     *
     * @throws InputTooLongException naming the first text that is too long
     */
    public void checkLengths(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            int tokens = encoder.tokenizer().encode(texts.get(i)).length();
            if (tokens > maxLength) throw new InputTooLongException(i, tokens, maxLength);
        }
    }

    /**
     * A re-ranker that scores by the cosine similarity of this model's query and passage vectors, without loading the
     * weights a second time: it shares this embedder's weights and inference thread (its options' kind is ignored).
     * Closing this embedder closes it too.
     */
    public Reranker reranker(RerankerOptions options) {
        return Reranker.sharing(description, encoder, inference, Objects.requireNonNull(options, "options"));
    }

    /** The length of every vector. */
    public int dimension() {
        return description.hiddenSize();
    }

    /** The model and how it runs; the backend is the one in use now. */
    public ModelInfo info() {
        Backend backend = ComputeBackend.current();
        ModelInfo d = description;
        return new ModelInfo(d.id(), d.directory(), d.kind(), d.maxLength(), d.batchSize(), d.hiddenSize(), d.pooling(),
                d.normalizes(), d.dtype(), backend.name(), backend.threads());
    }

    /** Stops the inference thread after the calls already handed to it; later calls fail. */
    @Override
    public void close() {
        inference.close();
    }
}
