package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gradient caching must give the plain LCE's loss and parameter gradients, whatever the chunk size. */
class GradientCachedLceTest {

    /** A two-layer scorer over feature rows: enough non-linearity that chunking mistakes would show. */
    private static final class Scorer {
        final Linear hidden, out;

        Scorer(long seed) {
            SeededRandom random = new SeededRandom(seed);
            hidden = new Linear(5, 7, true, 0.5, random, DType.F64);
            out = new Linear(7, 1, true, 0.5, random, DType.F64);
        }

        Variable score(Tensor features) {
            return out.forward(hidden.forward(Variable.constant(features)).tanh()).reshape(-1);
        }
    }

    @Property(tries = 12)
    void chunkedGradientsEqualThePlainLoss(@ForAll @IntRange(min = 1, max = 3) int queries, @ForAll @IntRange(min = 2, max = 5) int group,
                                           @ForAll @IntRange(min = 1, max = 7) int chunk, @ForAll long seed) {
        int pairs = queries * group;
        Tensor features = dev.ranker4j.training.RandomTensors.random(new SplittableRandom(seed), 1, pairs, 5);

        Scorer plain = new Scorer(seed);
        Variable loss = new LocalizedContrastiveLoss(group).compute(plain.score(features));
        loss.backward();

        Scorer cached = new Scorer(seed);
        double cachedLoss = new GradientCachedLce(group, chunk).backward(pairs,
                (start, end) -> cached.score(features.narrow(0, start, end - start)));

        assertEquals(loss.item(), cachedLoss, 1e-14);
        for (String name : plain.hidden.namedParameters().keySet()) {
            assertArrayEquals(plain.hidden.namedParameters().get(name).grad().toDoubleArray(),
                    cached.hidden.namedParameters().get(name).grad().toDoubleArray(), 1e-13, "hidden." + name);
            assertArrayEquals(plain.out.namedParameters().get(name).grad().toDoubleArray(),
                    cached.out.namedParameters().get(name).grad().toDoubleArray(), 1e-13, "out." + name);
        }
    }
}
