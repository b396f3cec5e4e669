package dev.ranker4j.autograd;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's contract: chain rule, accumulation, broadcasting, seeds, freed graphs, NoGrad, detach. */
class EngineTest {

    private static Variable leaf(double... values) {
        return new Variable(Tensor.fromArray(values, values.length), true);
    }

    private static double[] grad(Variable v) {
        return v.grad().toDoubleArray();
    }

    /** The worked example of docs/AUTOGRAD.md: L = Σ (a·b + a)², by hand dL/da = 2(ab + a)(b + 1), dL/db = 2(ab + a)a. */
    @Test
    void workedExampleMatchesTheHandDerivation() {
        Variable a = leaf(2, -1), b = leaf(3, 4);
        Variable c = a.mul(b).add(a);          // a used twice: its gradient is the sum of both paths
        Variable loss = c.mul(c).sum();
        loss.backward();
        assertEquals(64 + 25, loss.item(), 0);  // c = (8, −5)
        assertArrayEquals(new double[] {2 * 8 * 4, 2 * -5 * 5}, grad(a), 0);
        assertArrayEquals(new double[] {2 * 8 * 2, 2 * -5 * -1}, grad(b), 0);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Variable x = leaf(1, 2);
        x.mul(3.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {6, 6}, grad(x), 0);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void broadcastGradientIsSummedBackToTheInputShape() {
        Variable matrix = new Variable(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), true);
        Variable row = new Variable(Tensor.fromArray(new double[] {10, 20, 30}, 1, 3), true);
        Variable column = new Variable(Tensor.fromArray(new double[] {1, 2}, 2, 1), true);
        matrix.add(row).mul(column).sum().backward();
        assertArrayEquals(new int[] {1, 3}, row.grad().shape());
        assertArrayEquals(new double[] {3, 3, 3}, grad(row), 0);              // Σ over rows of column
        assertArrayEquals(new double[] {66, 75}, grad(column), 0);            // Σ over columns of matrix + row
    }

    @Test
    void nonScalarBackwardNeedsASeed() {
        Variable y = leaf(1, 2).exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(DType.F64, 3)));
    }

    @Test
    void secondBackwardThroughAFreedGraphFailsClearly() {
        Variable x = leaf(1, 2);
        Variable loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Variable x = leaf(1, 2);
        Variable loss = x.exp().sum();
        loss.backward(Tensor.ones(DType.F64), true);
        loss.backward();
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, grad(x), 1e-12);
    }

    @Test
    void noGradRecordsNothing() {
        Variable x = leaf(1, 2);
        Variable y;
        try (NoGrad ignored = NoGrad.enter()) {
            assertFalse(NoGrad.gradEnabled());
            y = x.exp().mul(x);
        }
        assertTrue(NoGrad.gradEnabled());
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void detachStopsTheGradient() {
        Variable x = leaf(3);
        Variable y = x.mul(x.detach()); // d/dx (x · const) = const
        y.sum().backward();
        assertArrayEquals(new double[] {3}, grad(x), 0);
    }

    @Test
    void constantsReceiveNoGradientAndIntermediatesKeepNoneUnlessAsked() {
        Variable x = leaf(1, 2);
        Variable c = Variable.constant(Tensor.fromArray(new double[] {5, 6}, 2));
        Variable hidden = x.mul(c);
        Variable kept = x.exp().retainGrad();
        hidden.add(kept).sum().backward();
        assertNull(c.grad());
        assertNull(hidden.grad());
        assertArrayEquals(new double[] {1, 1}, grad(kept), 0);
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Variable x = leaf(0.5);
        Variable y = x;
        for (int i = 0; i < 20_000; i++) y = y.add(0.0);
        y.sum().backward();
        assertArrayEquals(new double[] {1}, grad(x), 0);
    }
}
