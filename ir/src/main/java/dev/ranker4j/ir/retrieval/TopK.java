package dev.ranker4j.ir.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * The k best hits seen so far, for one query: a binary min-heap of size k whose root is the worst kept hit, so each
 * offer costs O(1) when it loses to the root (the common case) and O(log k) otherwise, and the whole scan is
 * O(n log k) instead of sorting all n scores. "Better" means higher score, then lower tie rank
 * ({@link DocumentOrder}). Arrays, not objects, so the hot loop allocates nothing.
 */
final class TopK {
    private final int capacity;
    private final int[] tieRank;
    private final int[] docs;
    private final float[] scores;
    private int size;

    TopK(int capacity, int[] tieRank) {
        this.capacity = capacity;
        this.tieRank = tieRank;
        this.docs = new int[capacity];
        this.scores = new float[capacity];
    }

    /** Whether a hit with this score could enter (a cheap pre-check before computing the tie rank). */
    boolean mightAccept(float score) {
        return size < capacity || score >= scores[0];
    }

    void offer(int doc, float score) {
        if (capacity == 0) return;
        if (size < capacity) {
            docs[size] = doc;
            scores[size] = score;
            siftUp(size++);
        } else if (better(doc, score, docs[0], scores[0])) {
            docs[0] = doc;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Adds every hit of {@code other} (merging per-thread partial results). */
    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) offer(other.docs[i], other.scores[i]);
    }

    /** The kept hits, best first. */
    List<Hit> sorted() {
        List<Hit> hits = new ArrayList<>(size);
        for (int i = 0; i < size; i++) hits.add(new Hit(docs[i], scores[i]));
        hits.sort((a, b) -> better(a.doc(), a.score(), b.doc(), b.score()) ? -1
                : better(b.doc(), b.score(), a.doc(), a.score()) ? 1 : 0);
        return hits;
    }

    private boolean better(int docA, float scoreA, int docB, float scoreB) {
        return scoreA > scoreB || (scoreA == scoreB && tieRank[docA] < tieRank[docB]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(docs[parent], scores[parent], docs[i], scores[i])) break;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int worst = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && better(docs[worst], scores[worst], docs[left], scores[left])) worst = left;
            if (right < size && better(docs[worst], scores[worst], docs[right], scores[right])) worst = right;
            if (worst == i) return;
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int i, int j) {
        int doc = docs[i];
        docs[i] = docs[j];
        docs[j] = doc;
        float score = scores[i];
        scores[i] = scores[j];
        scores[j] = score;
    }
}
