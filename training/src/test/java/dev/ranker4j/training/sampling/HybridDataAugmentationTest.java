package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RocketQAv2 hybrid data augmentation. */
class HybridDataAugmentationTest {
    @TempDir
    Path dir;

    /**
     * The retriever returns r0..r19 for q. Ground truth: g (not retrieved) and r3. The re-ranker scores r1 at 0.95
     * (a confident positive the judges missed), r2 at 0.6 (uncertain), all others at 0.01.
     */
    private static final Run RETRIEVED;
    private static final Run RERANKER;
    private static final Qrels QRELS = Qrels.of(List.of(new Judgment("q", "g", 1), new Judgment("q", "r3", 1)));

    static {
        List<RunEntry> retrieved = new ArrayList<>();
        List<RunEntry> reranker = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            retrieved.add(new RunEntry("q", "r" + i, i + 1, 20 - i, "dense"));
            reranker.add(new RunEntry("q", "r" + i, 0, i == 1 ? 0.95 : i == 2 ? 0.6 : 0.01, "ce"));
        }
        RETRIEVED = Run.of(retrieved);
        RERANKER = Run.of(reranker);
    }

    private static HybridDataAugmentation.Settings settings(int undenoised, int denoised, long seed) {
        return new HybridDataAugmentation.Settings(5, 10, 0.5, 0.9, undenoised, denoised, 1, seed);
    }

    @Test
    void undenoisedInstancesUseGroundTruthAndAnyRetrievedNegative() {
        List<ListwiseInstance> instances = new HybridDataAugmentation(settings(400, 0, 1)).build(RETRIEVED, RERANKER, QRELS);
        assertEquals(400, instances.size());
        Set<String> positives = new HashSet<>();
        Set<String> negatives = new HashSet<>();
        for (ListwiseInstance instance : instances) {
            assertFalse(instance.denoised());
            assertEquals(5, instance.passageIds().size());
            assertEquals(4, new HashSet<>(instance.negativeIds()).size(), "negatives without repeats");
            positives.add(instance.positiveId());
            negatives.addAll(instance.negativeIds());
        }
        assertEquals(Set.of("g", "r3"), positives);
        // The top 10 minus the ground truth r3: r1 and r2 included, since nothing is denoised.
        assertEquals(Set.of("r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8", "r9"), negatives);
    }

    @Test
    void denoisedInstancesDropLikelyFalseNegativesAndAddConfidentPositives() {
        List<ListwiseInstance> instances = new HybridDataAugmentation(settings(0, 600, 2)).build(RETRIEVED, RERANKER, QRELS);
        Set<String> positives = new HashSet<>();
        Set<String> negatives = new HashSet<>();
        for (ListwiseInstance instance : instances) {
            assertTrue(instance.denoised());
            positives.add(instance.positiveId());
            negatives.addAll(instance.negativeIds());
        }
        assertEquals(Set.of("g", "r3", "r1"), positives);
        assertEquals(Set.of("r0", "r4", "r5", "r6", "r7", "r8", "r9"), negatives, "r1 (positive) and r2 (0.6) dropped");
        long r1 = instances.stream().filter(i -> i.positiveId().equals("r1")).count();
        assertEquals(1 / 3.0, r1 / 600.0, 0.06, "positives drawn uniformly");
    }

    @Test
    void bothKindsAreMixedAndTheSeedReproduces() {
        List<ListwiseInstance> instances = new HybridDataAugmentation(settings(3, 3, 5)).build(RETRIEVED, RERANKER, QRELS);
        assertEquals(6, instances.size());
        assertEquals(3, instances.stream().filter(ListwiseInstance::denoised).count());
        assertEquals(instances, new HybridDataAugmentation(settings(3, 3, 5)).build(RETRIEVED, RERANKER, QRELS));
    }

    @Test
    void aSmallNegativePoolRepeatsAndAMissingScoreIsNamed() {
        var big = new HybridDataAugmentation(new HybridDataAugmentation.Settings(12, 10, 0.5, 0.9, 1, 0, 1, 3));
        assertEquals(12, big.build(RETRIEVED, RERANKER, QRELS).getFirst().passageIds().size());
        Run partial = Run.of(List.of(new RunEntry("q", "r0", 0, 0.1, "ce")));
        var error = assertThrows(IllegalArgumentException.class,
                () -> new HybridDataAugmentation(settings(1, 1, 1)).build(RETRIEVED, partial, QRELS));
        assertTrue(error.getMessage().contains("query q, passage r1"), error.getMessage());
    }

    @Test
    void instancesRoundTripThroughTheirFiles() {
        List<ListwiseInstance> instances = new HybridDataAugmentation(settings(2, 2, 5)).build(RETRIEVED, RERANKER, QRELS);
        Path file = dir.resolve("listwise.jsonl");
        SamplingFiles.writeListwise(file, instances);
        assertEquals(instances, SamplingFiles.readListwise(file));

        List<List<TasBalancedInstance>> batches = List.of(List.of(new TasBalancedInstance("q", 2,
                new TeacherPair("a", "b", 1.5f, -2.25f))), List.of());
        Path tas = dir.resolve("tas.jsonl");
        SamplingFiles.writeTasBatches(tas, batches);
        assertEquals(batches, SamplingFiles.readTasBatches(tas));
    }
}
