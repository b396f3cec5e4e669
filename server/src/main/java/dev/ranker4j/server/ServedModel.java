package dev.ranker4j.server;

import dev.ranker4j.api.Embedder;
import dev.ranker4j.api.EmbedderOptions;
import dev.ranker4j.api.ModelInfo;
import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerKind;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.hfio.hub.ModelLocator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The model behind the server, as the batcher and the routes use it. {@link #load} wraps the API: a cross-encoder
 * {@link Reranker} (rerank only), or a dual encoder's {@link Embedder} with its {@link Embedder#reranker} (embed, and
 * rerank by cosine similarity), one set of weights and one inference thread either way. Tests plug in their own.
 */
public interface ServedModel extends AutoCloseable {
    RerankerKind kind();

    /** Whether {@link #embed} works: a dual encoder. */
    default boolean embeds() {
        return kind() == RerankerKind.DUAL_ENCODER;
    }

    ModelInfo info();

    /** {@code result[i][j]} scores {@code passages.get(i).get(j)} for {@code queries.get(i)}: a logit or a cosine. */
    float[][] rerank(List<String> queries, List<List<String>> passages);

    /** The pooled vectors, not normalised (the server normalises per request). */
    float[][] embed(List<String> texts);

    /** Throws {@link dev.ranker4j.api.InputTooLongException} when an input is longer than the model reads. */
    void checkRerankLengths(String query, List<String> passages);

    /** Throws {@link dev.ranker4j.api.InputTooLongException} when a text is longer than the model reads. */
    void checkEmbedLengths(List<String> texts);

    @Override
    void close();

    /**
     * Loads {@code model} (a directory or Hub id) for serving.
     *
     * @param kind           the kind, or null to detect it from the directory
     * @param maxLength      tokens per pair or text
     * @param queryMaxLength tokens per query of a dual encoder's /rerank
     * @param batchSize      pairs or texts per forward pass
     * @param threads        kernel threads (0: the process's backend as it is)
     */
    static ServedModel load(String model, RerankerKind kind, int maxLength, int queryMaxLength, int batchSize, int threads)
            throws IOException {
        Path directory = ModelLocator.locate(model);
        RerankerKind resolved = kind != null ? kind : RerankerKind.detect(directory);
        RerankerOptions rerankOptions = RerankerOptions.defaults().withKind(resolved).withMaxLength(maxLength)
                .withQueryMaxLength(queryMaxLength).withBatchSize(batchSize).withThreads(threads);
        if (resolved == RerankerKind.CROSS_ENCODER) {
            Reranker reranker = Reranker.load(model, rerankOptions);
            return new ApiModel(reranker, null);
        }
        Embedder embedder = Embedder.load(model, EmbedderOptions.defaults().withMaxLength(maxLength)
                .withBatchSize(batchSize).withThreads(threads).withNormalize(false));
        return new ApiModel(embedder.reranker(rerankOptions), embedder);
    }

    /** The API's models as a {@link ServedModel}. */
    record ApiModel(Reranker reranker, Embedder embedder) implements ServedModel {
        @Override
        public RerankerKind kind() {
            return reranker.kind();
        }

        @Override
        public ModelInfo info() {
            return reranker.info();
        }

        @Override
        public float[][] rerank(List<String> queries, List<List<String>> passages) {
            return reranker.scoreAll(queries, passages);
        }

        @Override
        public float[][] embed(List<String> texts) {
            if (embedder == null) throw new IllegalStateException("a cross-encoder does not embed");
            return embedder.embed(texts);
        }

        @Override
        public void checkRerankLengths(String query, List<String> passages) {
            reranker.checkLengths(query, passages);
        }

        @Override
        public void checkEmbedLengths(List<String> texts) {
            if (embedder != null) embedder.checkLengths(texts);
        }

        @Override
        public void close() {
            reranker.close();
            if (embedder != null) embedder.close();
        }
    }
}
