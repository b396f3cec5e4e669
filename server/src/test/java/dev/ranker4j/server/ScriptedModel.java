package dev.ranker4j.server;

import dev.ranker4j.api.ModelInfo;
import dev.ranker4j.api.RerankerKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ServedModel} whose behaviour the test scripts: a dual encoder whose score for a passage is its length and
 * whose vector for a text is (length, 1); it fails on the text "poison", and holds every call at a gate while the
 * test keeps it closed, so requests pile up in the queue on cue.
 */
final class ScriptedModel implements ServedModel {
    volatile CountDownLatch gate = new CountDownLatch(0);
    final AtomicInteger calls = new AtomicInteger();
    final List<Integer> callSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Counted down when a call reaches the gate. */
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile boolean closed;

    @Override
    public RerankerKind kind() {
        return RerankerKind.DUAL_ENCODER;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("scripted", Path.of("scripted"), "dual_encoder", 64, 8, 2, "mean", false, "float32", "cpu", 1);
    }

    @Override
    public float[][] rerank(List<String> queries, List<List<String>> passages) {
        int size = passages.stream().mapToInt(List::size).sum();
        enter(passages.stream().flatMap(List::stream).toList(), size);
        float[][] scores = new float[queries.size()][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = new float[passages.get(i).size()];
            for (int j = 0; j < scores[i].length; j++) scores[i][j] = passages.get(i).get(j).length();
        }
        return scores;
    }

    @Override
    public float[][] embed(List<String> texts) {
        enter(texts, texts.size());
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < vectors.length; i++) vectors[i] = new float[] {texts.get(i).length(), 1};
        return vectors;
    }

    private void enter(List<String> texts, int size) {
        calls.incrementAndGet();
        callSizes.add(size);
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (texts.contains("poison")) throw new IllegalStateException("poisoned");
    }

    @Override
    public void checkRerankLengths(String query, List<String> passages) {}

    @Override
    public void checkEmbedLengths(List<String> texts) {}

    @Override
    public void close() {
        closed = true;
    }
}
