package dev.ranker4j.training.train;

import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.TokenizedPassage;
import dev.ranker4j.tensor.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * LCE groups from the Reranker toolkit's grouped training data ({@code ranker4j mine-negatives --sampler lce}; Gao,
 * Dai and Callan, ECIR 2021): every group is one query's {@code [CLS] q [SEP] p [SEP]} rows, a positive first and
 * then {@code groupSize - 1} of its localized negatives, built from the token ids in the file.
 * <p>
 * Batch {@code i} takes examples {@code i·Q, i·Q + 1, ...} (mod the number of examples; one epoch is ⌈examples / Q⌉
 * batches). Within a group, the positive is drawn uniformly from the example's positives and the negatives uniformly
 * without replacement from its negatives (with replacement when it has fewer than needed, as the toolkit's
 * {@code random.choices} does), by a generator seeded with (seed, i): each batch is a pure function of its index.
 */
public final class GroupedExampleBatches implements BatchSource<PairBatch> {
    private final List<GroupedTrainingExample> examples;
    private final TrainingInputs inputs;
    private final int groupSize;
    private final int queriesPerBatch;
    private final long seed;

    /**
     * @param groupSize rows per query: 1 positive + {@code groupSize - 1} negatives (&ge; 2)
     * @throws IllegalArgumentException when there are no examples, or an example lacks positives or negatives
     */
    public GroupedExampleBatches(List<GroupedTrainingExample> examples, TrainingInputs inputs, int groupSize,
                                 int queriesPerBatch, long seed) {
        if (groupSize < 2) throw new IllegalArgumentException("LCE groups need a positive and a negative: group size " + groupSize);
        if (queriesPerBatch < 1) throw new IllegalArgumentException("queries per batch must be >= 1, got " + queriesPerBatch);
        if (examples.isEmpty()) throw new IllegalArgumentException("no grouped training examples");
        for (GroupedTrainingExample example : examples) {
            if (example.positives().isEmpty() || example.negatives().isEmpty()) {
                throw new IllegalArgumentException("grouped example of query " + example.queryId() + " has "
                        + example.positives().size() + " positives and " + example.negatives().size()
                        + " negatives; a group needs at least one of each");
            }
        }
        this.examples = List.copyOf(examples);
        this.inputs = inputs;
        this.groupSize = groupSize;
        this.queriesPerBatch = queriesPerBatch;
        this.seed = seed;
    }

    @Override
    public PairBatch batch(long index) {
        List<List<int[]>> rows = rows(index);
        return new PairBatch(inputs.pairsOfIds(rows.get(0), rows.get(1)), groupSize, null);
    }

    /** The same groups as ColBERT inputs (query and passage apart), for a ColBERT trained with LCE. */
    public BatchSource<ColbertBatch> colbert() {
        return new BatchSource<>() {
            @Override
            public ColbertBatch batch(long index) {
                List<List<int[]>> rows = rows(index);
                return inputs.colbertOfIds(rows.get(0), rows.get(1), groupSize);
            }

            @Override
            public long batchesPerEpoch() {
                return GroupedExampleBatches.this.batchesPerEpoch();
            }
        };
    }

    /** Batch {@code index}'s rows: the query's token ids, and the passage's, row by row. */
    private List<List<int[]>> rows(long index) {
        SeededRandom random = new SeededRandom(seed * 0x9E3779B97F4A7C15L + index);
        List<int[]> queries = new ArrayList<>(queriesPerBatch * groupSize);
        List<int[]> passages = new ArrayList<>(queriesPerBatch * groupSize);
        for (int i = 0; i < queriesPerBatch; i++) {
            GroupedTrainingExample example = examples.get((int) ((index * queriesPerBatch + i) % examples.size()));
            for (TokenizedPassage passage : group(example, random)) {
                queries.add(example.queryTokenIds());
                passages.add(passage.tokenIds());
            }
        }
        return List.of(queries, passages);
    }

    /** One positive, then {@code groupSize - 1} negatives. */
    List<TokenizedPassage> group(GroupedTrainingExample example, SeededRandom random) {
        List<TokenizedPassage> group = new ArrayList<>(groupSize);
        group.add(example.positives().get(random.nextInt(example.positives().size())));
        List<TokenizedPassage> negatives = example.negatives();
        if (negatives.size() >= groupSize - 1) {
            List<TokenizedPassage> remaining = new ArrayList<>(negatives);
            while (group.size() < groupSize) group.add(remaining.remove(random.nextInt(remaining.size())));
        } else {
            while (group.size() < groupSize) group.add(negatives.get(random.nextInt(negatives.size())));
        }
        return group;
    }

    @Override
    public long batchesPerEpoch() {
        return (examples.size() + queriesPerBatch - 1) / queriesPerBatch;
    }
}
