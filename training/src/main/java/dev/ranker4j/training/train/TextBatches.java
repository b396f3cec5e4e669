package dev.ranker4j.training.train;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link TextGroups} into tokenized batches for each objective. Batch {@code i} takes queries
 * {@code i·Q, i·Q + 1, ...} (mod the number of queries; one epoch = ⌈queries / Q⌉ batches) and draws its negatives
 * with a generator seeded by (seed, i), so every batch is a pure function of its index (what resuming needs).
 * Each query's list is: one positive, then its hard negatives, then random pool passages that are not its positives.
 */
public final class TextBatches {
    private final TextGroups data;
    private final TrainingInputs inputs;
    private final int queriesPerBatch;
    private final long seed;

    public TextBatches(TextGroups data, WordPieceTokenizer tokenizer, int maxLength, int queriesPerBatch, long seed) {
        if (queriesPerBatch < 1) throw new IllegalArgumentException("queries per batch must be >= 1, got " + queriesPerBatch);
        this.data = data;
        this.inputs = new TrainingInputs(tokenizer, maxLength);
        this.queriesPerBatch = queriesPerBatch;
        this.seed = seed;
    }

    public long batchesPerEpoch() {
        return (data.groups().size() + queriesPerBatch - 1) / queriesPerBatch;
    }

    /** One query and its candidate list (positive first). */
    private record Sampled(String query, List<String> passages) {}

    private List<Sampled> sample(long index, int listSize) {
        SeededRandom random = new SeededRandom(seed * 0x9E3779B97F4A7C15L + index);
        List<Sampled> out = new ArrayList<>();
        for (int i = 0; i < queriesPerBatch; i++) {
            TextGroups.Group g = data.groups().get((int) ((index * queriesPerBatch + i) % data.groups().size()));
            List<String> list = new ArrayList<>();
            list.add(g.positives().get(random.nextInt(g.positives().size())));
            List<String> hard = new ArrayList<>(g.negatives());
            while (list.size() < listSize && !hard.isEmpty()) list.add(hard.remove(random.nextInt(hard.size())));
            for (int attempts = 0; list.size() < listSize; attempts++) {
                String candidate = data.pool().get(random.nextInt(data.pool().size()));
                if (!g.positives().contains(candidate) || attempts > 100) list.add(candidate);
            }
            out.add(new Sampled(g.query(), list));
        }
        return out;
    }

    private BertInput pairs(List<Sampled> sampled) {
        List<String> queries = new ArrayList<>(), passages = new ArrayList<>();
        for (Sampled s : sampled) {
            for (String p : s.passages()) {
                queries.add(s.query());
                passages.add(p);
            }
        }
        return inputs.pairs(queries, passages);
    }

    /** Cross-encoder groups of {@code groupSize} pairs per query (LCE, distillation). */
    public BatchSource<PairBatch> pairGroups(int groupSize) {
        return new Source<>(index -> new PairBatch(pairs(sample(index, groupSize)), groupSize, null));
    }

    /** Pointwise pairs: per query one positive (label 1) and one negative (label 0). */
    public BatchSource<PairBatch> labelledPairs() {
        return new Source<>(index -> {
            List<Sampled> sampled = sample(index, 2);
            float[] labels = new float[2 * sampled.size()];
            for (int i = 0; i < sampled.size(); i++) labels[2 * i] = 1;
            return new PairBatch(pairs(sampled), 1, Tensor.fromArray(labels, labels.length));
        });
    }

    /**
     * TAS-B batches: B queries, their positives then one negative each; the pairwise teacher (a cross-encoder) scores
     * (q, p⁺) and (q, p⁻) without a graph; the in-batch teacher's inputs are built for ColBERT.
     */
    public BatchSource<TasBatch> tasBalanced(CrossEncoder pairwiseTeacher) {
        return new Source<>(index -> {
            List<Sampled> sampled = sample(index, 2);
            Tensor teacherScores;
            try (NoGrad ignored = NoGrad.enter()) {
                teacherScores = pairwiseTeacher.score(pairs(sampled)).value(); // rows: q0 p+, q0 p-, q1 p+, ...
            }
            int b = sampled.size();
            List<String> queries = new ArrayList<>(), positives = new ArrayList<>(), negatives = new ArrayList<>();
            float[] pos = new float[b], neg = new float[b];
            for (int i = 0; i < b; i++) {
                queries.add(sampled.get(i).query());
                positives.add(sampled.get(i).passages().get(0));
                negatives.add(sampled.get(i).passages().get(1));
                pos[i] = (float) teacherScores.get(2 * i);
                neg[i] = (float) teacherScores.get(2 * i + 1);
            }
            return inputs.tasBatch(queries, positives, negatives, pos, neg);
        });
    }

    /** RocketQAv2 listwise instances of {@code listSize} passages per query. */
    public BatchSource<ListwiseBatch> listwise(int listSize) {
        return new Source<>(index -> {
            List<Sampled> sampled = sample(index, listSize);
            return inputs.listwise(sampled.stream().map(Sampled::query).toList(),
                    sampled.stream().map(Sampled::passages).toList());
        });
    }

    private final class Source<B> implements BatchSource<B> {
        private final java.util.function.LongFunction<B> make;

        Source(java.util.function.LongFunction<B> make) {
            this.make = make;
        }

        @Override
        public B batch(long index) {
            return make.apply(index);
        }

        @Override
        public long batchesPerEpoch() {
            return TextBatches.this.batchesPerEpoch();
        }
    }
}
