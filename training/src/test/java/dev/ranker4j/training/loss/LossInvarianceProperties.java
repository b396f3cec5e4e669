package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.ranker4j.training.RandomTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Symmetries the losses must have, checked on random scores. */
class LossInvarianceProperties {

    private static double value(Variable loss) {
        return loss.item();
    }

    @Property(tries = 30)
    void lceIgnoresAConstantAddedToAGroup(@ForAll @IntRange(min = 1, max = 4) int queries, @ForAll @IntRange(min = 2, max = 6) int group,
                                          @ForAll @IntRange(min = 0, max = 3) int shiftedQuery,
                                          @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        Tensor scores = random(new SplittableRandom(seed), 3, queries, group);
        int q = shiftedQuery % queries;
        double[] shifted = scores.toDoubleArray();
        for (int k = 0; k < group; k++) shifted[q * group + k] += shift;
        LocalizedContrastiveLoss lce = new LocalizedContrastiveLoss(group);
        assertEquals(value(lce.compute(Variable.constant(scores))),
                value(lce.compute(Variable.constant(Tensor.fromArray(shifted, queries, group)))), 1e-10);
    }

    @Property(tries = 30)
    void marginMseIgnoresAConstantAddedToBothScoresOfAPair(@ForAll @IntRange(min = 1, max = 8) int n,
                                                           @ForAll @IntRange(min = 0, max = 7) int pair,
                                                           @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor sp = random(r, 3, n), sn = random(r, 3, n), tp = random(r, 3, n), tn = random(r, 3, n);
        double[] p = sp.toDoubleArray(), m = sn.toDoubleArray();
        p[pair % n] += shift;
        m[pair % n] += shift;
        MarginMseLoss loss = new MarginMseLoss();
        assertEquals(value(loss.compute(Variable.constant(sp), Variable.constant(sn), tp, tn)),
                value(loss.compute(Variable.constant(Tensor.fromArray(p, n)), Variable.constant(Tensor.fromArray(m, n)), tp, tn)), 1e-9);
    }

    @Property(tries = 20)
    void tasBalancedIgnoresAConstantAddedToAQuerysRow(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 0, max = 3) int row,
                                                      @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor s = random(r, 3, b, 2 * b), tp = random(r, 3, b), tn = random(r, 3, b), t = random(r, 3, b, 2 * b);
        double[] shifted = s.toDoubleArray();
        for (int j = 0; j < 2 * b; j++) shifted[(row % b) * 2 * b + j] += shift;
        TasBalancedLoss loss = new TasBalancedLoss();
        assertEquals(value(loss.compute(Variable.constant(s), tp, tn, t).loss()),
                value(loss.compute(Variable.constant(Tensor.fromArray(shifted, b, 2 * b)), tp, tn, t).loss()), 1e-9);
    }

    @Property(tries = 20)
    void rocketQaV2IgnoresConstantsAddedToEitherModelsList(@ForAll @IntRange(min = 1, max = 3) int q, @ForAll @IntRange(min = 2, max = 5) int list,
                                                          @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor de = random(r, 3, q, list), ce = random(r, 3, q, list);
        RocketQaV2Loss loss = new RocketQaV2Loss();
        assertEquals(value(loss.compute(Variable.constant(de), Variable.constant(ce)).loss()),
                value(loss.compute(Variable.constant(de.add(shift)), Variable.constant(ce.sub(shift))).loss()), 1e-9);
    }
}
