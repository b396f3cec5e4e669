package dev.ranker4j.training.distill;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.ranker4j.training.RandomTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankerDistillationLossTest {

    @Test
    void uniformMappingFollowsTinyBert() {
        assertArrayEquals(new int[] {0, 2, 4, 6}, LayerMapping.uniform(3, 6).teacherLayerOf());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerMapping.uniform(4, 6));
        assertTrue(e.getMessage().contains("multiple"), e.getMessage());
    }

    /** Student 1 layer of width 3, teacher 2 layers of width 4; heads 2, seq 3, batch 2 (groups of 2). */
    private static double[] lossAndCheck(long seed, RankerDistillationLoss.ScoreLoss scoreLoss) {
        SplittableRandom r = new SplittableRandom(seed);
        RankerDistillationLoss loss = new RankerDistillationLoss(new RankerDistillationLoss.Weights(1, 0.5, 2, scoreLoss, 1.5, 2),
                LayerMapping.uniform(1, 2), 3, 4, seed, DType.F64);
        Tensor teacherScores = random(r, 2, 2);
        List<Tensor> teacherHidden = List.of(random(r, 1, 2, 3, 4), random(r, 1, 2, 3, 4), random(r, 1, 2, 3, 4));
        List<Tensor> teacherAttention = List.of(random(r, 1, 2, 2, 3, 3), random(r, 1, 2, 2, 3, 3));
        Tensor s = random(r, 2, 2), h0 = random(r, 1, 2, 3, 3), h1 = random(r, 1, 2, 3, 3), a1 = random(r, 1, 2, 2, 3, 3);
        GradCheck.Report report = GradCheck.check(in -> loss.compute(in.get(0), teacherScores, List.of(in.get(1), in.get(2)), teacherHidden,
                List.of(in.get(3)), teacherAttention).loss(), List.of(s, h0, h1, a1), GradCheck.Options.DEFAULT.withTolerances(1e-7, 1e-5));
        assertTrue(report.passed(), report::toString);
        // With the projection W_h applied, the hidden term pairs student layer m with teacher layer 2m.
        Variable hidden = loss.compute(Variable.constant(s), teacherScores, List.of(Variable.constant(h0), Variable.constant(h1)), teacherHidden,
                List.of(Variable.constant(a1)), teacherAttention).hidden();
        double expected = mse(loss.projection().forward(Variable.constant(h0)).value(), teacherHidden.get(0))
                + mse(loss.projection().forward(Variable.constant(h1)).value(), teacherHidden.get(2));
        return new double[] {hidden.item(), expected};
    }

    private static double mse(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += (x[i] - y[i]) * (x[i] - y[i]);
        return sum / x.length;
    }

    @Property(tries = 6)
    void gradientsAreRightAndTheLayerMappingIsApplied(@ForAll long seed) {
        for (RankerDistillationLoss.ScoreLoss mode : RankerDistillationLoss.ScoreLoss.values()) {
            double[] hidden = lossAndCheck(seed, mode);
            assertEquals(hidden[1], hidden[0], 1e-12);
        }
    }
}
