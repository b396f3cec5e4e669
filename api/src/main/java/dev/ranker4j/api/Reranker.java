package dev.ranker4j.api;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.ir.retrieval.DualEncoderScorer;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores passages for a query with a re-ranking model, in one call from any number of threads.
 *
 * <pre>{@code
 * try (Reranker reranker = Reranker.load(Path.of("models/ms-marco-MiniLM-L-6-v2"))) {
 *     float[] scores = reranker.score("what do plants need", List.of("Plants need light.", "Rome fell in 476."));
 * }
 * }</pre>
 *
 * <p>A cross-encoder reads each pair as {@code [CLS] query [SEP] passage [SEP]}, truncated longest-first to
 * {@code maxLength} tokens; its score is the model's logit. A dual encoder embeds query and passages apart (the query
 * truncated to {@code queryMaxLength}) and scores their cosine similarity. Inside: tokenization, truncation,
 * length-sorted batches of {@code batchSize} and inference without a graph. {@link #score} gives exactly the scores
 * {@code ranker4j rerank} writes for the same query, passages and options, bit for bit.
 *
 * <p>Thread-safe: calls from many threads are served one at a time by the model's own inference thread, because each
 * forward pass already spreads over all kernel threads. To share forward passes between queries, hand them over
 * together ({@link #scoreAll}), as the server's dynamic batching does. CPU only unless the process selected another
 * backend ({@code -Dranker4j.backend}); no GPU is ever needed.
 */
public final class Reranker implements AutoCloseable {
    private final ModelInfo description;
    private final RerankerKind kind;
    private final PairScorer scorer;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;
    private final int queryMaxLength;
    private final InferenceThread inference;

    /** Whether {@link #close} stops the inference thread: not when it is an {@link Embedder}'s. */
    private final boolean ownsInference;

    private Reranker(ModelInfo description, RerankerKind kind, PairScorer scorer, WordPieceTokenizer tokenizer,
                     int maxLength, int queryMaxLength, InferenceThread inference) {
        this.description = description;
        this.kind = kind;
        this.scorer = scorer;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.queryMaxLength = queryMaxLength;
        this.ownsInference = inference == null;
        this.inference = inference != null ? inference
                : new InferenceThread("ranker4j-reranker-" + description.directory().getFileName());
    }

    /** A dual-encoder re-ranker on an {@link Embedder}'s encoder and inference thread ({@link Embedder#reranker}). */
    static Reranker sharing(ModelInfo embedderInfo, SentenceEncoder encoder, InferenceThread inference,
                            RerankerOptions options) {
        checkPositions(embedderInfo.id(), "maxLength", options.maxLength(), encoder.model().config());
        checkPositions(embedderInfo.id(), "queryMaxLength", options.queryMaxLength(), encoder.model().config());
        ModelInfo info = new ModelInfo(embedderInfo.id(), embedderInfo.directory(), RerankerKind.DUAL_ENCODER.id(),
                options.maxLength(), options.batchSize(), embedderInfo.hiddenSize(), embedderInfo.pooling(),
                encoder.normalizes(), embedderInfo.dtype(), null, 0);
        SentenceEncoder batched = encoder.withBatchSize(options.batchSize());
        return new Reranker(info, RerankerKind.DUAL_ENCODER, new DualEncoderScorer(batched::encode, Similarity.COSINE,
                options.queryMaxLength(), options.maxLength()), encoder.tokenizer(), options.maxLength(),
                options.queryMaxLength(), inference);
    }

    /** Loads a model directory with the {@linkplain RerankerOptions#defaults() default options}. */
    public static Reranker load(Path directory) throws IOException {
        return load(directory.toString(), RerankerOptions.defaults());
    }

    public static Reranker load(Path directory, RerankerOptions options) throws IOException {
        return load(directory.toString(), options);
    }

    /**
     * Loads {@code model}: a directory, or a Hugging Face Hub id {@code ORG/NAME[@revision]} (downloaded once into
     * the Hub cache; {@code HF_HUB_OFFLINE=1} for the cache only), with the default options.
     */
    public static Reranker load(String model) throws IOException {
        return load(model, RerankerOptions.defaults());
    }

    public static Reranker load(String model, RerankerOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Path directory = ModelLocator.locate(model);
        ComputeBackend.useThreads(options.threads());
        RerankerKind kind = options.kind() != null ? options.kind() : RerankerKind.detect(directory);
        return switch (kind) {
            case CROSS_ENCODER -> {
                WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(directory);
                CrossEncoder crossEncoder = CrossEncoder.load(directory, DType.F32, 0);
                checkPositions(model, "maxLength", options.maxLength(), crossEncoder.config());
                crossEncoder.keepParametersOnDevice(ComputeBackend.current());
                ModelInfo info = new ModelInfo(model, directory, kind.id(), options.maxLength(), options.batchSize(),
                        crossEncoder.config().hiddenSize(), null, false, "float32", null, 0);
                yield new Reranker(info, kind, new CrossEncoderScorer(tokenizer, crossEncoder, options.maxLength(),
                        options.batchSize()), tokenizer, options.maxLength(), options.maxLength(), null);
            }
            case DUAL_ENCODER -> {
                SentenceEncoder encoder = Embedder.sentenceEncoder(directory, options.batchSize());
                checkPositions(model, "maxLength", options.maxLength(), encoder.model().config());
                checkPositions(model, "queryMaxLength", options.queryMaxLength(), encoder.model().config());
                ModelInfo info = new ModelInfo(model, directory, kind.id(), options.maxLength(), options.batchSize(),
                        encoder.model().config().hiddenSize(), encoder.pooling().name().toLowerCase(Locale.ROOT),
                        encoder.normalizes(), "float32", null, 0);
                yield new Reranker(info, kind, new DualEncoderScorer(encoder::encode, Similarity.COSINE,
                        options.queryMaxLength(), options.maxLength()), encoder.tokenizer(), options.maxLength(),
                        options.queryMaxLength(), null);
            }
        };
    }

    /**
     * One score per passage, in the order of {@code passages}; higher is more relevant. Passages longer than the
     * model reads are truncated ({@link #checkLengths} says so first, when that matters).
     */
    public float[] score(String query, List<String> passages) {
        Objects.requireNonNull(query, "query");
        List<String> copy = texts(passages, "passages");
        if (copy.isEmpty()) return new float[0];
        return inference.call(() -> scorer.score(query, copy));
    }

    /**
     * Scores several queries' passages at once: {@code result[i][j]} scores {@code passages.get(i).get(j)} for
     * {@code queries.get(i)}. All pairs are sorted by length into shared forward passes, so many small requests cost
     * about what one large one does; a score may differ from {@link #score}'s for the same pair in the last bits (any
     * change of batch does that).
     */
    public float[][] scoreAll(List<String> queries, List<List<String>> passages) {
        List<String> queryCopy = texts(queries, "queries");
        Objects.requireNonNull(passages, "passages");
        if (queryCopy.size() != passages.size()) {
            throw new IllegalArgumentException(queryCopy.size() + " queries but " + passages.size() + " passage lists");
        }
        List<List<String>> copies = new ArrayList<>(passages.size());
        for (int i = 0; i < passages.size(); i++) copies.add(texts(passages.get(i), "passages[" + i + "]"));
        if (copies.stream().allMatch(List::isEmpty)) {
            float[][] none = new float[copies.size()][];
            for (int i = 0; i < none.length; i++) none[i] = new float[0];
            return none;
        }
        return inference.call(() -> scorer.scoreAll(queryCopy, copies));
    }

    /** The passages ranked by {@link #score}, best first (ties in input order). */
    public List<ScoredPassage> rank(String query, List<String> passages) {
        float[] scores = score(query, passages);
        List<ScoredPassage> ranked = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) ranked.add(new ScoredPassage(i, scores[i]));
        ranked.sort(Comparator.comparingDouble((ScoredPassage p) -> p.score()).reversed());
        return ranked;
    }

    /**
     * Throws when a pair (a cross-encoder) or the query or a passage (a dual encoder) has more tokens than the model
     * reads, for callers that must not truncate silently (the server's {@code "truncate": false}). Runs on the
     * calling thread.
     *
     * @throws InputTooLongException naming the first input that is too long
     */
    public void checkLengths(String query, List<String> passages) {
        if (kind == RerankerKind.DUAL_ENCODER) {
            int tokens = tokenizer.encode(query).length();
            if (tokens > queryMaxLength) throw new InputTooLongException(-1, tokens, queryMaxLength);
        }
        for (int i = 0; i < passages.size(); i++) {
            int tokens = kind == RerankerKind.CROSS_ENCODER ? tokenizer.encodePair(query, passages.get(i)).length()
                    : tokenizer.encode(passages.get(i)).length();
            if (tokens > maxLength) throw new InputTooLongException(i, tokens, maxLength);
        }
    }

    public RerankerKind kind() {
        return kind;
    }

    /** The model and how it runs; the backend is the one in use now. */
    public ModelInfo info() {
        Backend backend = ComputeBackend.current();
        ModelInfo d = description;
        return new ModelInfo(d.id(), d.directory(), d.kind(), d.maxLength(), d.batchSize(), d.hiddenSize(), d.pooling(),
                d.normalizes(), d.dtype(), backend.name(), backend.threads());
    }

    /**
     * Stops the inference thread after the calls already handed to it; later calls fail. A re-ranker made by
     * {@link Embedder#reranker} uses the embedder's thread: closing the embedder closes both, closing it does nothing.
     */
    @Override
    public void close() {
        if (ownsInference) inference.close();
    }

    /** A length limit the model's position embeddings cannot serve is refused at load, not at the first long input. */
    static void checkPositions(String model, String option, int tokens, TransformerConfig config) {
        if (tokens > config.maxPositions()) {
            throw new IllegalArgumentException(model + ": " + option + " " + tokens + " is more than the model's "
                    + config.maxPositions() + " positions");
        }
    }

    /** A defensive copy that names a null list or element. */
    static List<String> texts(List<String> texts, String what) {
        Objects.requireNonNull(texts, what);
        List<String> copy = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) throw new IllegalArgumentException(what + "[" + i + "] is null");
            copy.add(text);
        }
        return copy;
    }
}
