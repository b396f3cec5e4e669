package dev.ranker4j.spark;

import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.ir.retrieval.DualEncoderScorer;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.cpu.CpuBackend;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.ColbertScorer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import org.apache.spark.TaskContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of one executor JVM: each is loaded once, by the first task that needs it, and then shared by every task
 * thread of that JVM (the weights are read-only in inference, and the kernels keep their scratch buffers per thread).
 * A model directory is opened on the executor, so it must be readable there: a shared file system, or shipped with
 * {@code spark-submit --archives} (docs/SCALE.md).
 *
 * <p>Loading also sizes the JVM's CPU backend once: each task computes on {@code threads} threads (by default
 * {@code spark.task.cpus}), so an executor with {@code C} cores runs {@code C / spark.task.cpus} tasks side by side and
 * keeps every core busy without two tasks fighting over one kernel pool. Results do not depend on the thread count
 * (docs/KERNELS.md, Determinism).
 */
final class ExecutorModels {
    private ExecutorModels() {}

    /** What a re-ranking model is; as {@code ranker4j rerank --kind}. */
    enum ScorerKind { cross_encoder, colbert, dual_encoder }

    private static final Map<String, Object> MODELS = new ConcurrentHashMap<>();
    private static volatile int configuredThreads;

    /** The sentence encoder of {@code model} (a directory, or ORG/NAME from the Hub cache), batching {@code batchSize}. */
    static SentenceEncoder sentenceEncoder(String model, int batchSize, int threads) {
        useThreads(threads);
        SentenceEncoder encoder = (SentenceEncoder) MODELS.computeIfAbsent("sentence\0" + model,
                key -> load(model, dir -> SentenceEncoder.load(dir)));
        return encoder.withBatchSize(batchSize);
    }

    /** A pair scorer as {@code ranker4j rerank --kind KIND} builds it. */
    static PairScorer pairScorer(String model, ScorerKind kind, int maxLength, int queryLength, int batchSize,
                                 int threads) {
        useThreads(threads);
        String key = String.join("\0", "scorer", kind.name(), model, Integer.toString(maxLength),
                Integer.toString(queryLength), Integer.toString(batchSize));
        return (PairScorer) MODELS.computeIfAbsent(key, k -> load(model, dir -> switch (kind) {
            case cross_encoder -> new CrossEncoderScorer(WordPieceTokenizer.fromDirectory(dir),
                    CrossEncoder.load(dir, DType.F32, 0), maxLength, batchSize);
            case colbert -> new ColbertScorer(WordPieceTokenizer.fromDirectory(dir), Colbert.load(dir, DType.F32),
                    ColbertInputs.BERT_UNCASED, queryLength, maxLength, batchSize);
            case dual_encoder -> {
                SentenceEncoder encoder = SentenceEncoder.load(dir).withBatchSize(batchSize);
                yield new DualEncoderScorer(encoder::encode, Similarity.COSINE, queryLength, maxLength);
            }
        }));
    }

    /**
     * Makes the JVM's CPU backend run {@code threads} threads per call (0: {@code spark.task.cpus} of the running
     * task, else the backend as it is). Called before a model is used; the first caller in a JVM decides.
     */
    static synchronized void useThreads(int threads) {
        if (threads == 0) {
            TaskContext task = TaskContext.get();
            if (task == null) return; // on the driver: leave the backend as the process configured it
            threads = task.cpus();
        }
        if (configuredThreads == threads) return;
        Backend current = Backends.current();
        if (current instanceof CpuBackend cpu && cpu.threads() != threads) Backends.setCurrent(new CpuBackend(threads));
        configuredThreads = threads;
    }

    private interface Loader<T> {
        T load(Path directory) throws IOException;
    }

    private static <T> T load(String model, Loader<T> loader) {
        try {
            return loader.load(ModelLocator.locate(model));
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": " + e.getMessage(), e);
        }
    }
}
