package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ranker4j.training.RandomTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each loss's value against a plain loop over its paper formula. */
class LossValueTest {
    private final SplittableRandom r = new SplittableRandom(7);

    private static Variable v(Tensor t) {
        return new Variable(t, true);
    }

    @Test
    void bceIsTheLogLikelihoodFormula() {
        double[] s = {-3, -0.5, 0.2, 4, 30}, y = {0, 1, 1, 0, 1};
        double expected = 0;
        for (int i = 0; i < s.length; i++) {
            double p = 1 / (1 + Math.exp(-s[i]));
            expected += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log1p(-p));
        }
        double loss = new PointwiseBceLoss().compute(v(Tensor.fromArray(s, 5)), Tensor.fromArray(y, 5)).item();
        assertEquals(expected / s.length, loss, 1e-12);
    }

    @Test
    void bceStaysFiniteForHugeLogits() {
        double loss = new PointwiseBceLoss().compute(v(Tensor.fromArray(new double[] {1000, -1000}, 2)),
                Tensor.fromArray(new double[] {0, 1}, 2)).item();
        assertEquals(1000, loss, 1e-9);
    }

    @Test
    void lceIsMeanNegativeLogSoftmaxOfThePositive() {
        Tensor scores = random(r, 3, 3, 5);
        double expected = 0;
        for (int q = 0; q < 3; q++) {
            double sum = 0;
            for (int k = 0; k < 5; k++) sum += Math.exp(scores.get(q, k));
            expected += -(scores.get(q, 0) - Math.log(sum));
        }
        assertEquals(expected / 3, new LocalizedContrastiveLoss(5).compute(v(scores)).item(), 1e-12);
        assertEquals(expected / 3, new LocalizedContrastiveLoss(5).compute(v(scores.reshape(15))).item(), 1e-12);
    }

    @Test
    void lceRejectsScoresThatDoNotFormGroups() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalizedContrastiveLoss(4).compute(v(random(r, 1, 3, 5))));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    @Test
    void marginMseIsTheMeanSquaredMarginDifference() {
        Tensor sp = random(r, 3, 4), sn = random(r, 3, 4), tp = random(r, 3, 4), tn = random(r, 3, 4);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double d = (sp.get(i) - sn.get(i)) - (tp.get(i) - tn.get(i));
            expected += d * d;
        }
        assertEquals(expected / 4, new MarginMseLoss().compute(v(sp), v(sn), tp, tn).item(), 1e-12);
    }

    @Test
    void inBatchNegativesIsCrossEntropyOnTheDiagonal() {
        Tensor q = random(r, 1, 3, 4), p = random(r, 1, 6, 4);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double[] s = new double[6];
            double sum = 0;
            for (int j = 0; j < 6; j++) {
                for (int d = 0; d < 4; d++) s[j] += q.get(i, d) * p.get(j, d);
                sum += Math.exp(s[j]);
            }
            expected += Math.log(sum) - s[i];
        }
        assertEquals(expected / 3, new InBatchNegativesLoss().compute(v(q), v(p)).item(), 1e-12);
    }

    @Test
    void tasBalancedFollowsEquationsSixToEight() {
        int b = 3;
        Tensor s = random(r, 3, b, 2 * b), tp = random(r, 3, b), tn = random(r, 3, b), t = random(r, 3, b, 2 * b);
        double pair = 0, inBatch = 0;
        for (int i = 0; i < b; i++) {
            double d = (s.get(i, i) - s.get(i, b + i)) - (tp.get(i) - tn.get(i));
            pair += d * d;
            for (int j = 0; j < 2 * b; j++) {
                if (j == i) continue;
                double e = (s.get(i, i) - s.get(i, j)) - (t.get(i, i) - t.get(i, j));
                inBatch += e * e;
            }
        }
        pair /= b;
        inBatch /= b * (2 * b - 1);
        TasBalancedLoss.Parts parts = new TasBalancedLoss(0.75).compute(v(s), tp, tn, t);
        assertEquals(pair, parts.pairwise().item(), 1e-12);
        assertEquals(inBatch, parts.inBatch().item(), 1e-12);
        assertEquals(pair + 0.75 * inBatch, parts.loss().item(), 1e-12);
    }

    @Test
    void listwiseKlIsZeroWhenStudentEqualsTeacherAndPositiveOtherwise() {
        Tensor t = random(r, 3, 2, 5);
        assertEquals(0, new ListwiseKlDistillationLoss(2).compute(v(t), t).item(), 1e-12);
        assertTrue(new ListwiseKlDistillationLoss(2).compute(v(random(r, 3, 2, 5)), t).item() > 0);
    }

    @Test
    void rocketQaV2SumsTheKlAndAddsTheSupervisedCe() {
        Tensor de = random(r, 3, 2, 4), ce = random(r, 3, 2, 4);
        double kl = 0, sup = 0;
        for (int q = 0; q < 2; q++) {
            double zd = 0, zc = 0;
            for (int k = 0; k < 4; k++) {
                zd += Math.exp(de.get(q, k));
                zc += Math.exp(ce.get(q, k));
            }
            for (int k = 0; k < 4; k++) {
                double pd = Math.exp(de.get(q, k)) / zd, pc = Math.exp(ce.get(q, k)) / zc;
                kl += pd * Math.log(pd / pc);
            }
            sup += -Math.log(Math.exp(ce.get(q, 0)) / zc);
        }
        RocketQaV2Loss.Parts parts = new RocketQaV2Loss().compute(v(de), v(ce));
        assertEquals(kl, parts.kl().item(), 1e-12);
        assertEquals(sup / 2, parts.supervised().item(), 1e-12);
        assertEquals(kl + sup / 2, parts.loss().item(), 1e-12);
    }
}
