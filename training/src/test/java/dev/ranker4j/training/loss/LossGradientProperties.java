package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static dev.ranker4j.training.RandomTensors.random;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every loss's analytic gradient against central finite differences (float64) on random scores and targets. */
class LossGradientProperties {

    private static void check(Function<List<Variable>, Variable> loss, Tensor... inputs) {
        GradCheck.Report report = GradCheck.check(loss, List.of(inputs), GradCheck.Options.DEFAULT.withTolerances(1e-7, 1e-5));
        assertTrue(report.passed(), report::toString);
    }

    @Property(tries = 15)
    void pointwiseBce(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor labels = random(r, 1, n).gt(0.0).to(dev.ranker4j.tensor.DType.F64);
        check(in -> new PointwiseBceLoss().compute(in.get(0), labels), random(r, 4, n));
    }

    @Property(tries = 15)
    void localizedContrastive(@ForAll @IntRange(min = 1, max = 4) int queries, @ForAll @IntRange(min = 2, max = 6) int group, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        check(in -> new LocalizedContrastiveLoss(group).compute(in.get(0)), random(r, 3, queries, group));
    }

    @Property(tries = 15)
    void marginMse(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor tp = random(r, 3, n), tn = random(r, 3, n);
        check(in -> new MarginMseLoss().compute(in.get(0), in.get(1), tp, tn), random(r, 3, n), random(r, 3, n));
    }

    @Property(tries = 15)
    void inBatchNegatives(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 5) int dim, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        check(in -> new InBatchNegativesLoss().compute(in.get(0), in.get(1)), random(r, 1, b, dim), random(r, 1, 2 * b, dim));
    }

    @Property(tries = 15)
    void tasBalanced(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor tp = random(r, 3, b), tn = random(r, 3, b), inBatch = random(r, 3, b, 2 * b);
        check(in -> new TasBalancedLoss().compute(in.get(0), tp, tn, inBatch).loss(), random(r, 3, b, 2 * b));
    }

    @Property(tries = 15)
    void listwiseKl(@ForAll @IntRange(min = 1, max = 3) int q, @ForAll @IntRange(min = 2, max = 6) int list, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor teacher = random(r, 3, q, list);
        double temperature = 0.5 + r.nextDouble() * 2;
        check(in -> new ListwiseKlDistillationLoss(temperature).compute(in.get(0), teacher), random(r, 3, q, list));
    }

    @Property(tries = 15)
    void rocketQaV2IntoBothModels(@ForAll @IntRange(min = 1, max = 3) int q, @ForAll @IntRange(min = 2, max = 6) int list, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        check(in -> new RocketQaV2Loss().compute(in.get(0), in.get(1)).loss(), random(r, 3, q, list), random(r, 3, q, list));
    }
}
