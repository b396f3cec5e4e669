package dev.ranker4j.training.train;

import dev.ranker4j.training.sampling.ListwiseInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RocketQAv2 joint-training batches from hybrid listwise instances ({@code ranker4j mine-negatives --sampler
 * rocketqa}; Ren et al., EMNLP 2021): batch {@code i} takes instances {@code i·Q, i·Q + 1, ...} (mod the number of
 * instances, which the sampler already shuffled; one epoch is ⌈instances / Q⌉ batches), each a query with its list
 * of passages, positive first. Every instance must have the same list size L.
 */
public final class ListwiseInstanceBatches implements BatchSource<ListwiseBatch> {
    private final List<ListwiseInstance> instances;
    private final Map<String, String> queryTexts;
    private final Map<String, String> passageTexts;
    private final TrainingInputs inputs;
    private final int queriesPerBatch;

    /**
     * @throws IllegalArgumentException when there are no instances, list sizes differ, or an id has no text (naming
     *                                  the instance's position and the id)
     */
    public ListwiseInstanceBatches(List<ListwiseInstance> instances, Map<String, String> queryTexts,
                                   Map<String, String> passageTexts, TrainingInputs inputs, int queriesPerBatch) {
        if (instances.isEmpty()) throw new IllegalArgumentException("no listwise instances");
        if (queriesPerBatch < 1) throw new IllegalArgumentException("queries per batch must be >= 1, got " + queriesPerBatch);
        int listSize = instances.getFirst().passageIds().size();
        for (int i = 0; i < instances.size(); i++) {
            ListwiseInstance instance = instances.get(i);
            if (instance.passageIds().size() != listSize) {
                throw new IllegalArgumentException("listwise instance " + i + " (query " + instance.queryId() + ") has "
                        + instance.passageIds().size() + " passages; instance 0 has " + listSize);
            }
            if (!queryTexts.containsKey(instance.queryId())) {
                throw new IllegalArgumentException("listwise instance " + i + ": query " + instance.queryId() + " has no text");
            }
            for (String passage : instance.passageIds()) {
                if (!passageTexts.containsKey(passage)) {
                    throw new IllegalArgumentException("listwise instance " + i + ": passage " + passage + " has no text");
                }
            }
        }
        this.instances = List.copyOf(instances);
        this.queryTexts = queryTexts;
        this.passageTexts = passageTexts;
        this.inputs = inputs;
        this.queriesPerBatch = queriesPerBatch;
    }

    /** L, the passages per query. */
    public int listSize() {
        return instances.getFirst().passageIds().size();
    }

    @Override
    public ListwiseBatch batch(long index) {
        List<String> queries = new ArrayList<>(queriesPerBatch);
        List<List<String>> lists = new ArrayList<>(queriesPerBatch);
        for (int i = 0; i < queriesPerBatch; i++) {
            ListwiseInstance instance = instances.get((int) ((index * queriesPerBatch + i) % instances.size()));
            queries.add(queryTexts.get(instance.queryId()));
            lists.add(instance.passageIds().stream().map(passageTexts::get).toList());
        }
        return inputs.listwise(queries, lists);
    }

    @Override
    public long batchesPerEpoch() {
        return (instances.size() + queriesPerBatch - 1) / queriesPerBatch;
    }
}
