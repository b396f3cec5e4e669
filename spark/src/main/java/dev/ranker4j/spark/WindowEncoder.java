package dev.ranker4j.spark;

import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Encodes the rows of one partition, a window of rows at a time, with the executor's shared sentence encoder: the
 * window's texts go through {@link CorpusEncoder} (sorted longest first, cut into batches of {@code batchSize}, so a
 * batch pads to nearly one length) and come back in row order. A window of 0 is the whole partition.
 *
 * <p>When a partition's rows are a run of the whole corpus's longest-first order that starts at a batch boundary (as
 * the encode job arranges them), its batches are exactly those of {@code ranker4j encode}, and so are its vectors, bit
 * for bit (a vector depends on the batch it was padded in, by up to 2.5e-7).
 *
 * @param model     model directory or ORG/NAME, opened on the executor
 * @param maxLength tokens per text, special tokens included
 * @param batchSize texts per forward pass
 * @param normalize L2-normalise every vector
 * @param window    rows sorted and encoded together (0: the whole partition)
 * @param threads   kernel threads per task (0: spark.task.cpus)
 */
record WindowEncoder(String model, int maxLength, int batchSize, boolean normalize, int window, int threads)
        implements Serializable {

    WindowEncoder {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("no model given");
        if (maxLength < 1 || batchSize < 1 || window < 0 || threads < 0) {
            throw new IllegalArgumentException("maxLength and batchSize must be positive, window and threads at least 0: "
                    + maxLength + ", " + batchSize + ", " + window + ", " + threads);
        }
    }

    /** A row and its vector (null for a null text). */
    record Encoded<T>(T row, float[] vector) {}

    /** The rows with their vectors, in row order, computed window by window as the result is consumed. */
    <T> Iterator<Encoded<T>> encode(Iterator<T> rows, Function<T, String> text, LongAccumulator encoded) {
        return new Iterator<>() {
            private final List<Encoded<T>> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) return true;
                ready.clear();
                next = 0;
                if (!rows.hasNext()) return false;
                List<T> batch = new ArrayList<>();
                while (rows.hasNext() && (window == 0 || batch.size() < window)) batch.add(rows.next());
                ready.addAll(encodeWindow(batch, text, encoded));
                return true;
            }

            @Override
            public Encoded<T> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.get(next++);
            }
        };
    }

    /** The vectors of one window's rows, in row order. */
    <T> List<Encoded<T>> encodeWindow(List<T> rows, Function<T, String> text, LongAccumulator encoded) {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String value = text.apply(rows.get(i));
            if (value == null) continue;
            ids.add(Integer.toString(i));
            texts.add(value);
        }
        float[][] vectors = new float[rows.size()][];
        if (!texts.isEmpty()) {
            SentenceEncoder encoder = ExecutorModels.sentenceEncoder(model, batchSize, threads);
            Progress progress = encoded == null ? Progress.NONE : new Progress() {
                @Override
                public void advance(long steps) {
                    encoded.add(steps);
                }

                @Override
                public void close() {}
            };
            DenseVectors result = new CorpusEncoder(encoder::encode, maxLength, batchSize, Integer.MAX_VALUE, normalize)
                    .encode(ids, texts, null, progress);
            for (int i = 0; i < result.size(); i++) vectors[Integer.parseInt(result.ids().get(i))] = result.vector(i);
        }
        List<Encoded<T>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) out.add(new Encoded<>(rows.get(i), vectors[i]));
        return out;
    }
}
