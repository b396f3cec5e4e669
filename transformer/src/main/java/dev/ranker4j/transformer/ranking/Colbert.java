package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.HfCheckpoint;
import dev.ranker4j.transformer.bert.Pooling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ColBERT late interaction (Khattab &amp; Zaharia, "ColBERT: Efficient and Effective Passage Search via Contextualized
 * Late Interaction over BERT", SIGIR 2020, eq. 1–3): every token keeps its own vector, projected to 128 dimensions
 * without bias and L2-normalised; relevance is the sum over query tokens of the best match among document tokens.
 * <pre>
 *   E_q = normalize( W · BERT([CLS] [Q] q [MASK]…[MASK]) )            padded to N_q tokens with [MASK] (augmentation)
 *   E_d = normalize( W · BERT([CLS] [D] d [SEP]) ) with padding and punctuation rows zeroed
 *   S(q, d) = Σ_i max_j E_q[i] · E_d[j]                                (MaxSim)
 * </pre>
 * Inputs are built by {@link ColbertInputs}. Checkpoint layout of colbert-ir models: {@code bert.*} +
 * {@code linear.weight}. Used as TAS-B's in-batch teacher and as a reranker.
 *
 * <p>Punctuation ({@code mask_punctuation}, on by default in ColBERT): document tokens that are one of Python's
 * {@code string.punctuation} symbols still take part in attention, but their output vectors are zeroed, so a
 * query token can never match a comma. The skiplist is a set of token ids, so it comes from the tokenizer:
 * {@link #load} and {@link #fromEncoder} read it from the directory's tokenizer files when there are any;
 * {@link #skipDocumentTokens} sets it explicitly (an empty list turns masking off).
 */
public final class Colbert extends Module {
    /** ColBERT's projection width. */
    public static final int DEFAULT_DIMENSION = 128;

    private final TransformerConfig config;
    private final Module bert;
    private final Linear linear;
    /** Sorted ids of the document tokens whose vectors are zeroed (ColBERT's punctuation skiplist). */
    private long[] documentSkiplist = new long[0];

    /** The encoder's parameters come from {@code encoderInit}, the projection's from {@code projectionInit}. */
    private Colbert(TransformerConfig config, int dimension, Init encoderInit, Init projectionInit, DType dtype) {
        if (config.modelType() != ModelType.BERT) throw new IllegalArgumentException("Colbert needs a BERT encoder, got " + config.modelType());
        this.config = config;
        bert = registerModule("bert", Encoders.fromConfig(config, encoderInit, dtype, false));
        linear = registerModule("linear", new Linear(config.hiddenSize(), dimension, false, config.initializerRange(),
                projectionInit, dtype));
    }

    public static Colbert fromConfig(TransformerConfig config, int dimension, long seed, DType dtype) {
        return new Colbert(config, dimension, Init.random(new SeededRandom(seed)), Init.random(projectionRandom(seed)),
                dtype);
    }

    /** The projection's generator: a different stream from the encoder's, derived from the same seed. */
    private static SeededRandom projectionRandom(long seed) {
        return new SeededRandom(seed ^ 0xC01BE27L);
    }

    /**
     * Builds the model with {@link Init#deferred deferred} parameters, fills it from {@code directory} and draws only
     * what the checkpoint lacks (one of {@code mayBeMissing}); evaluation mode.
     */
    private static Colbert loadDeferred(Path directory, TransformerConfig config, int dimension, long seed, DType dtype,
                                        List<String> mayBeMissing) throws IOException {
        Init encoderInit = Init.deferred(new SeededRandom(seed)), projectionInit = Init.deferred(projectionRandom(seed));
        Colbert model = new Colbert(config, dimension, encoderInit, projectionInit, dtype);
        RankingCheckpoint.load(model, config, directory, dtype, mayBeMissing, List.of(), name -> false);
        encoderInit.initializeUnset();
        projectionInit.initializeUnset();
        model.eval();
        if (WordPieceTokenizer.presentIn(directory)) {
            model.skipDocumentTokens(punctuationIds(WordPieceTokenizer.fromDirectory(directory)));
        }
        return model;
    }

    /**
     * The ids ColBERT skips in documents: for each symbol of Python's {@code string.punctuation}, the id the tokenizer
     * gives it on its own (symbols the vocabulary lacks are left out rather than skipping [UNK]).
     */
    public static long[] punctuationIds(WordPieceTokenizer tokenizer) {
        String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        return punctuation.chars().map(c -> tokenizer.tokenToId(Character.toString(c))).filter(id -> id >= 0)
                .distinct().sorted().asLongStream().toArray();
    }

    /** Zero the document vectors of these token ids from now on (replaces the previous list; empty = none). */
    public void skipDocumentTokens(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        documentSkiplist = sorted;
    }

    /** The ids whose document vectors are zeroed, sorted. */
    public long[] documentSkiplist() {
        return documentSkiplist.clone();
    }

    /** Loads a colbert-ir checkpoint ({@code bert.*} + {@code linear.weight}); the projection width comes from it. */
    public static Colbert load(Path directory, DType dtype) throws IOException {
        TransformerConfig config = TransformerConfigJson.read(directory.resolve(TransformerConfigJson.FILE_NAME));
        int dimension;
        try (var weights = dev.ranker4j.hfio.safetensors.SafetensorsFile.open(directory)) {
            if (!weights.contains("linear.weight")) throw new IOException(directory + ": a ColBERT checkpoint needs 'linear.weight'");
            dimension = Math.toIntExact(weights.info("linear.weight").shape()[0]);
        }
        return loadDeferred(directory, config, dimension, 0, dtype, List.of());
    }

    /** A ColBERT on a pre-trained encoder ({@code bert.*} from a BERT directory) with a fresh seeded projection. */
    public static Colbert fromEncoder(Path encoderDirectory, int dimension, long seed, DType dtype) throws IOException {
        TransformerConfig config = TransformerConfigJson.read(encoderDirectory.resolve(TransformerConfigJson.FILE_NAME));
        return loadDeferred(encoderDirectory, config, dimension, seed, dtype, List.of("linear.weight"));
    }

    public void save(Path directory) throws IOException {
        HfCheckpoint.save(this, config, "HF_ColBERT", Map.of(), directory);
    }

    /** Query token vectors [B, N_q, dim], unit length; every position counts, [MASK] padding included. */
    public Variable encodeQueries(BertInput queries) {
        return Pooling.l2Normalize(linear.forward(Encoders.forward(bert, queries, BertOutput.Options.DEFAULT).lastHiddenState()));
    }

    /**
     * Document token vectors [B, N_d, dim], unit length, zero at padding positions and at skiplisted tokens (so they
     * never win a max).
     */
    public Variable encodeDocuments(BertInput documents) {
        Variable vectors = Pooling.l2Normalize(linear.forward(Encoders.forward(bert, documents, BertOutput.Options.DEFAULT).lastHiddenState()));
        int[] s = documents.inputIds().shape();
        long[] ids = documents.inputIds().contiguous().toLongArray(), mask = documents.attentionMask().contiguous().toLongArray();
        double[] keep = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keep[i] = mask[i] != 0 && Arrays.binarySearch(documentSkiplist, ids[i]) < 0 ? 1 : 0;
        }
        return vectors.mul(Variable.constant(Tensor.fromArray(keep, s[0], s[1], 1).to(vectors.dtype())));
    }

    /** MaxSim of aligned rows: queries [B, N_q, dim], documents [B, N_d, dim] → [B]. */
    public static Variable maxSim(Variable queryVectors, Variable documentVectors) {
        Variable similarities = queryVectors.matmul(documentVectors, false, true);   // [B, N_q, N_d]
        return similarities.max(new int[] {2}, false).sum(1);
    }

    /** Every query against every document: [Q, N_q, dim] × [D, N_d, dim] → [Q, D]. */
    public static Variable maxSimMatrix(Variable queryVectors, Variable documentVectors) {
        int q = queryVectors.shape()[0], d = documentVectors.shape()[0];
        Variable qq = queryVectors.unsqueeze(1).expand(q, d, queryVectors.shape()[1], queryVectors.shape()[2]);
        Variable dd = documentVectors.unsqueeze(0).expand(q, d, documentVectors.shape()[1], documentVectors.shape()[2]);
        return qq.matmul(dd, false, true).max(new int[] {3}, false).sum(2);
    }

    /** Reranking scores of aligned (query, document) rows → [B]. */
    public Variable score(BertInput queries, BertInput documents) {
        return maxSim(encodeQueries(queries), encodeDocuments(documents));
    }

    public TransformerConfig config() {
        return config;
    }
}
