package dev.ranker4j.autograd;

import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every registered op, forward and backward, gives the same bits inside a training step's {@link ActivationArena} as
 * outside it. The arena here pools every array and poisons it (NaN) when its step ends, and the op runs in two steps:
 * in the second, every array it gets is a poisoned one from the first, handed out unzeroed where the op declared that
 * its kernel writes the whole output. An element such an op left unwritten would read NaN and differ.
 */
class ArenaOpsProperties {
    private static final int CASES_PER_OP = 8;

    @Provide
    Arbitrary<String> ops() {
        return Arbitraries.of(OpRegistry.names());
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void opsGiveTheSameBitsInsideTheArena(@ForAll("ops") String op, @ForAll @IntRange(min = 0, max = CASES_PER_OP - 1) int caseNumber) {
        GradientSpecs.Case c = GradientSpecs.SPECS.get(op).draw(new Random(op.hashCode() * 1_000_003L + caseNumber));
        List<double[]> outside = run(c);
        ActivationArena arena = new ActivationArena(true, 1);
        for (int step = 0; step < 2; step++) {
            List<double[]> inside;
            try (ActivationArena.Step ignored = arena.begin()) {
                inside = run(c);
            }
            for (int i = 0; i < outside.size(); i++) {
                assertArrayEquals(outside.get(i), inside.get(i), c + " step " + step + (i == 0 ? " output" : " gradient " + (i - 1)));
            }
        }
    }

    /** The output and every input's gradient (F32), as arrays that outlive the step. */
    private static List<double[]> run(GradientSpecs.Case c) {
        List<Variable> inputs = new ArrayList<>();
        for (Tensor t : c.inputs()) inputs.add(new Variable(t.to(DType.F32), true));
        Variable out = c.f().apply(inputs);
        double[] seed = new double[GradientSpecs.numel(out.shape())];
        for (int i = 0; i < seed.length; i++) seed[i] = 1 + (i % 7) / 7.0;
        out.backward(Tensor.fromArray(seed, out.shape()).to(DType.F32));
        List<double[]> result = new ArrayList<>(List.of(out.value().toDoubleArray()));
        for (Variable v : inputs) result.add(v.grad() == null ? new double[0] : v.grad().toDoubleArray());
        return result;
    }
}
