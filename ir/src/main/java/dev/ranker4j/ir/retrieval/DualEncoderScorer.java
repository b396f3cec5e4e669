package dev.ranker4j.ir.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dual encoder used as a re-ranker: {@code score(q, p) = sim(E_q(q), E_p(p))}, query and passage encoded separately
 * (by one {@link TextEncoder}, or by a query and a passage tower). Cheaper than a cross-encoder and useful to re-score
 * another retriever's candidates.
 */
public final class DualEncoderScorer implements PairScorer {
    private final TextEncoder encoder;
    private final TextEncoder passageEncoder;
    private final Similarity similarity;
    private final int queryMaxLength;
    private final int passageMaxLength;

    public DualEncoderScorer(TextEncoder encoder, Similarity similarity, int queryMaxLength, int passageMaxLength) {
        this(encoder, encoder, similarity, queryMaxLength, passageMaxLength);
    }

    public DualEncoderScorer(TextEncoder queryEncoder, TextEncoder passageEncoder, Similarity similarity, int queryMaxLength,
                             int passageMaxLength) {
        this.encoder = queryEncoder;
        this.passageEncoder = passageEncoder;
        this.similarity = similarity;
        this.queryMaxLength = queryMaxLength;
        this.passageMaxLength = passageMaxLength;
    }

    @Override
    public float[] score(String query, List<String> passages) {
        float[] q = encoder.encode(List.of(query), queryMaxLength)[0];
        return similarities(q, passageEncoder.encode(new ArrayList<>(passages), passageMaxLength));
    }

    /** All queries in one encoder call and all passages in another, so their batches are shared. */
    @Override
    public float[][] scoreAll(List<String> queries, List<List<String>> passages) {
        if (queries.size() != passages.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + passages.size() + " passage lists");
        }
        float[][] scores = new float[queries.size()][];
        if (queries.isEmpty()) return scores;
        float[][] q = encoder.encode(new ArrayList<>(queries), queryMaxLength);
        List<String> all = new ArrayList<>();
        for (List<String> list : passages) all.addAll(list);
        float[][] p = all.isEmpty() ? new float[0][] : passageEncoder.encode(all, passageMaxLength);
        for (int i = 0, from = 0; i < scores.length; from += passages.get(i).size(), i++) {
            scores[i] = similarities(q[i], Arrays.copyOfRange(p, from, from + passages.get(i).size()));
        }
        return scores;
    }

    /** sim(q, p_i) for every passage vector, with the searches' arithmetic ({@link ScoringInputs}). */
    private float[] similarities(float[] q, float[][] p) {
        if (p.length == 0) return new float[0];
        DenseVectors queryVectors = DenseVectors.of(List.of("q"), new float[][] {q}, false);
        float[] queryNorm = ScoringInputs.inverseNorms(queryVectors, similarity);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < p.length; i++) ids.add(Integer.toString(i));
        DenseVectors passageVectors = DenseVectors.of(ids, p, false);
        float[] passageNorms = ScoringInputs.inverseNorms(passageVectors, similarity);
        float[] scores = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            float dot = ExactSearch.dot(q, 0, passageVectors.data(), i * q.length, q.length);
            scores[i] = ScoringInputs.score(dot, queryNorm[0], passageNorms[i]);
        }
        return scores;
    }
}
