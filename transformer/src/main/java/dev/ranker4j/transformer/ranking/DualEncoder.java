package dev.ranker4j.transformer.ranking;

import dev.ranker4j.hfio.keys.PoolingMode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.files.AtomicFiles;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.SentenceTransformersDirectory;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.HfEncoder;
import dev.ranker4j.transformer.bert.LastLayerPruning;
import dev.ranker4j.transformer.bert.Pooling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The BERT_DOT dual encoder (bi-encoder): query and passage are encoded independently into one vector each and
 * scored by a dot product or cosine, so passages can be encoded once and searched (Karpukhin et al. 2020;
 * Hofstätter et al. 2021 for TAS-B).
 * <pre>
 *   s(q, p) = sim( pool(BERT_Q(q)), pool(BERT_P(p)) )       pool ∈ {h_[CLS], mean over real tokens}, sim ∈ {dot, cos}
 * </pre>
 * The towers are shared (one encoder, TAS-B's setting; parameters under {@code encoder.*}) or separate
 * ({@code query_encoder.*}, {@code passage_encoder.*}). Saved as a sentence-transformers directory: the HF model at
 * the top, {@code modules.json}, {@code 1_Pooling/config.json} (and {@code 2_Normalize} for cosine); separate towers
 * are two such directories, {@code query/} and {@code passage/}. With CLS pooling only h_[CLS] of the last layer is
 * read, so unless hidden states or attention maps are requested that layer runs for [CLS] alone
 * ({@link LastLayerPruning}).
 */
public final class DualEncoder extends Module {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEPARATE_TOWERS_MARKER = "dual_encoder.json";

    private final Module queryEncoder;
    private final Module passageEncoder;
    private final PoolingMode pooling;
    private final DualEncoderSimilarity similarity;
    private boolean pruneLastLayer = LastLayerPruning.enabledByDefault();

    /** Shared towers when {@code passageEncoder} is null. */
    public DualEncoder(Module queryEncoder, Module passageEncoder, PoolingMode pooling, DualEncoderSimilarity similarity) {
        if (passageEncoder == null) {
            this.queryEncoder = registerModule("encoder", queryEncoder);
            this.passageEncoder = this.queryEncoder;
        } else {
            this.queryEncoder = registerModule("query_encoder", queryEncoder);
            this.passageEncoder = registerModule("passage_encoder", passageEncoder);
        }
        this.pooling = pooling;
        this.similarity = similarity;
    }

    /** Randomly initialised towers (the second one seeded with seed + 1). */
    public static DualEncoder fromConfig(TransformerConfig config, long seed, DType dtype, boolean shared,
                                         PoolingMode pooling, DualEncoderSimilarity similarity) {
        Module q = Encoders.fromConfig(config, seed, dtype, false);
        Module p = shared ? null : Encoders.fromConfig(config, seed + 1, dtype, false);
        return new DualEncoder(q, p, pooling, similarity);
    }

    /**
     * Loads what {@link #save} writes, a sentence-transformers directory (pooling and normalisation from its
     * modules), or a plain HF encoder directory (then {@code defaultPooling} and {@code defaultSimilarity} apply).
     */
    public static DualEncoder load(Path directory, DType dtype, PoolingMode defaultPooling,
                                   DualEncoderSimilarity defaultSimilarity) throws IOException {
        if (Files.isRegularFile(directory.resolve(SEPARATE_TOWERS_MARKER))) {
            DualEncoder q = load(directory.resolve("query"), dtype, defaultPooling, defaultSimilarity);
            DualEncoder p = load(directory.resolve("passage"), dtype, defaultPooling, defaultSimilarity);
            return new DualEncoder(q.queryEncoder, p.queryEncoder, q.pooling, q.similarity);
        }
        var st = SentenceTransformersDirectory.detect(directory);
        var pooling = st.map(SentenceTransformersDirectory::pooling).orElse(defaultPooling);
        DualEncoderSimilarity similarity = st.map(s -> s.normalize() ? DualEncoderSimilarity.COSINE : DualEncoderSimilarity.DOT).orElse(defaultSimilarity);
        Path modelDirectory = st.map(SentenceTransformersDirectory::transformerDirectory).orElse(directory);
        return new DualEncoder(Encoders.load(modelDirectory, dtype), null, pooling, similarity);
    }

    /** Writes the sentence-transformers layout (see the class comment), every file atomically. */
    public void save(Path directory) throws IOException {
        if (queryEncoder == passageEncoder) {
            saveTower(queryEncoder, directory);
            return;
        }
        saveTower(queryEncoder, directory.resolve("query"));
        saveTower(passageEncoder, directory.resolve("passage"));
        ObjectNode marker = JSON.createObjectNode().put("shared", false).put("query", "query").put("passage", "passage");
        AtomicFiles.write(directory.resolve(SEPARATE_TOWERS_MARKER), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(marker).getBytes(StandardCharsets.UTF_8));
    }

    private void saveTower(Module encoder, Path directory) throws IOException {
        Files.createDirectories(directory.resolve("1_Pooling"));
        if (!(encoder instanceof HfEncoder hf)) throw new IllegalStateException("unknown encoder " + encoder.getClass());
        hf.save(directory);
        ArrayNode modules = JSON.createArrayNode();
        modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
        modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", "sentence_transformers.models.Pooling");
        if (similarity == DualEncoderSimilarity.COSINE) {
            Files.createDirectories(directory.resolve("2_Normalize"));
            modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", "sentence_transformers.models.Normalize");
        }
        ObjectNode poolingConfig = JSON.createObjectNode()
                .put("word_embedding_dimension", Encoders.config(encoder).hiddenSize())
                .put("pooling_mode_cls_token", pooling == PoolingMode.CLS)
                .put("pooling_mode_mean_tokens", pooling == PoolingMode.MEAN)
                .put("pooling_mode_max_tokens", false)
                .put("pooling_mode_mean_sqrt_len_tokens", false);
        AtomicFiles.write(directory.resolve("modules.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(modules));
        AtomicFiles.write(directory.resolve("1_Pooling/config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(poolingConfig));
    }

    /**
     * The pooled vectors and the encoder output behind them; with CLS pooling and nothing else requested, that
     * output's last hidden state holds [CLS] only, [B, 1, hidden].
     */
    public record Encoded(Variable vectors, BertOutput encoderOutput) {}

    public Encoded encodeQueries(BertInput queries, BertOutput.Options options) {
        return encode(queryEncoder, queries, options);
    }

    public Encoded encodePassages(BertInput passages, BertOutput.Options options) {
        return encode(passageEncoder, passages, options);
    }

    /** Queries [B, S] → [B, hidden]. */
    public Variable encodeQueries(BertInput queries) {
        return encodeQueries(queries, BertOutput.Options.DEFAULT).vectors();
    }

    /** Passages [B, S] → [B, hidden]. */
    public Variable encodePassages(BertInput passages) {
        return encodePassages(passages, BertOutput.Options.DEFAULT).vectors();
    }

    private Encoded encode(Module encoder, BertInput input, BertOutput.Options options) {
        boolean readsOnlyCls = pooling == PoolingMode.CLS;
        BertOutput out = Encoders.forward(encoder, input,
                readsOnlyCls ? LastLayerPruning.firstTokenOnly(options, pruneLastLayer) : options);
        return new Encoded(Pooling.apply(pooling, out.lastHiddenState(), input.attentionMask()), out);
    }

    /** Every query against every passage: [Q, P]. */
    public Variable scoreMatrix(BertInput queries, BertInput passages) {
        return similarity.matrix(encodeQueries(queries), encodePassages(passages));
    }

    /**
     * Whether, with CLS pooling, the towers' last layer is computed for [CLS] only when nothing else is read (default
     * {@link LastLayerPruning#enabledByDefault()}); off runs the full layer, for comparison. Mean pooling reads every
     * token and never prunes.
     */
    public void setLastLayerPruning(boolean on) {
        pruneLastLayer = on;
    }

    public boolean lastLayerPruning() {
        return pruneLastLayer;
    }

    public boolean sharedTowers() {
        return queryEncoder == passageEncoder;
    }

    public DualEncoderSimilarity similarity() {
        return similarity;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    public TransformerConfig config() {
        return Encoders.config(queryEncoder);
    }

    public Module queryEncoder() {
        return queryEncoder;
    }

    public Module passageEncoder() {
        return passageEncoder;
    }
}
