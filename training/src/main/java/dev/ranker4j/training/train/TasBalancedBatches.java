package dev.ranker4j.training.train;

import dev.ranker4j.training.sampling.TasBalancedInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer's view of TAS-Balanced batches drawn ahead of time ({@code ranker4j mine-negatives --sampler tas-b};
 * Hofstätter et al., SIGIR 2021): batch {@code i} is the file's batch {@code i mod B}, its queries in file order, each
 * with its (p⁺, p⁻) pair and the pairwise (BERT_CAT) teacher's scores from the file; the in-batch teacher (ColBERT)
 * scores the batch in the objective. One epoch is the file's B batches.
 */
public final class TasBalancedBatches implements BatchSource<TasBatch> {
    private final List<List<TasBalancedInstance>> batches;
    private final Map<String, String> queryTexts;
    private final Map<String, String> passageTexts;
    private final TrainingInputs inputs;

    /**
     * @param queryTexts   query id to text, for every query of the batches
     * @param passageTexts passage id to text, for every passage of the batches
     * @throws IllegalArgumentException when there are no batches or an id has no text (naming the batch and the id)
     */
    public TasBalancedBatches(List<List<TasBalancedInstance>> batches, Map<String, String> queryTexts,
                              Map<String, String> passageTexts, TrainingInputs inputs) {
        if (batches.isEmpty()) throw new IllegalArgumentException("no TAS-Balanced batches");
        for (int b = 0; b < batches.size(); b++) {
            if (batches.get(b).isEmpty()) throw new IllegalArgumentException("TAS-Balanced batch " + b + " is empty");
            for (TasBalancedInstance instance : batches.get(b)) {
                requireText(queryTexts, instance.queryId(), "query", b);
                requireText(passageTexts, instance.pair().positiveId(), "passage", b);
                requireText(passageTexts, instance.pair().negativeId(), "passage", b);
            }
        }
        this.batches = List.copyOf(batches);
        this.queryTexts = queryTexts;
        this.passageTexts = passageTexts;
        this.inputs = inputs;
    }

    private static void requireText(Map<String, String> texts, String id, String what, int batch) {
        if (!texts.containsKey(id)) {
            throw new IllegalArgumentException("TAS-Balanced batch " + batch + ": " + what + " " + id + " has no text");
        }
    }

    @Override
    public TasBatch batch(long index) {
        List<TasBalancedInstance> batch = batches.get((int) (index % batches.size()));
        int b = batch.size();
        List<String> queries = new ArrayList<>(b), positives = new ArrayList<>(b), negatives = new ArrayList<>(b);
        float[] teacherPositive = new float[b], teacherNegative = new float[b];
        for (int i = 0; i < b; i++) {
            TasBalancedInstance instance = batch.get(i);
            queries.add(queryTexts.get(instance.queryId()));
            positives.add(passageTexts.get(instance.pair().positiveId()));
            negatives.add(passageTexts.get(instance.pair().negativeId()));
            teacherPositive[i] = instance.pair().positiveScore();
            teacherNegative[i] = instance.pair().negativeScore();
        }
        return inputs.tasBatch(queries, positives, negatives, teacherPositive, teacherNegative);
    }

    @Override
    public long batchesPerEpoch() {
        return batches.size();
    }
}
