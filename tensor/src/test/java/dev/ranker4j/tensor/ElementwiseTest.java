package dev.ranker4j.tensor;

import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.UnaryOp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static dev.ranker4j.tensor.TestSupport.tolerance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementwiseTest {
    /** Known values of erf, so GELU is checked against numbers that do not come from the code under test. */
    private static final double ERF_ONE = 0.8427007929497149, ERF_HALF = 0.5204998778130465;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void unaryOpsMatchTheirDefinitions(DType dtype) {
        Random random = new Random(1);
        Tensor x = TestSupport.random(dtype, random, 3, 5).transpose(0, 1); // a strided input
        Tensor positive = x.abs().add(0.1);
        double c = Math.sqrt(2 / Math.PI);
        Map<String, Object[]> cases = Map.ofEntries(
                Map.entry("neg", new Object[]{(Function<Tensor, Tensor>) Tensor::neg, (DoubleUnaryOperator) v -> -v, x}),
                Map.entry("exp", new Object[]{(Function<Tensor, Tensor>) Tensor::exp, (DoubleUnaryOperator) Math::exp, x}),
                Map.entry("log", new Object[]{(Function<Tensor, Tensor>) Tensor::log, (DoubleUnaryOperator) Math::log, positive}),
                Map.entry("sqrt", new Object[]{(Function<Tensor, Tensor>) Tensor::sqrt, (DoubleUnaryOperator) Math::sqrt, positive}),
                Map.entry("rsqrt", new Object[]{(Function<Tensor, Tensor>) Tensor::rsqrt, (DoubleUnaryOperator) v -> 1 / Math.sqrt(v), positive}),
                Map.entry("tanh", new Object[]{(Function<Tensor, Tensor>) Tensor::tanh, (DoubleUnaryOperator) Math::tanh, x}),
                Map.entry("sigmoid", new Object[]{(Function<Tensor, Tensor>) Tensor::sigmoid, (DoubleUnaryOperator) v -> 1 / (1 + Math.exp(-v)), x}),
                Map.entry("relu", new Object[]{(Function<Tensor, Tensor>) Tensor::relu, (DoubleUnaryOperator) v -> Math.max(v, 0), x}),
                Map.entry("abs", new Object[]{(Function<Tensor, Tensor>) Tensor::abs, (DoubleUnaryOperator) Math::abs, x}),
                Map.entry("square", new Object[]{(Function<Tensor, Tensor>) Tensor::square, (DoubleUnaryOperator) v -> v * v, x}),
                Map.entry("reciprocal", new Object[]{(Function<Tensor, Tensor>) Tensor::reciprocal, (DoubleUnaryOperator) v -> 1 / v, positive}),
                Map.entry("step", new Object[]{(Function<Tensor, Tensor>) Tensor::step, (DoubleUnaryOperator) v -> v > 0 ? 1 : 0, x}),
                Map.entry("pow 1.5", new Object[]{(Function<Tensor, Tensor>) t -> t.pow(1.5), (DoubleUnaryOperator) v -> Math.pow(v, 1.5), positive}),
                Map.entry("geluTanh", new Object[]{(Function<Tensor, Tensor>) Tensor::geluTanh,
                        (DoubleUnaryOperator) v -> 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v))), x}),
                Map.entry("add 0.25", new Object[]{(Function<Tensor, Tensor>) t -> t.add(0.25), (DoubleUnaryOperator) v -> v + 0.25, x}),
                Map.entry("sub 0.25", new Object[]{(Function<Tensor, Tensor>) t -> t.sub(0.25), (DoubleUnaryOperator) v -> v - 0.25, x}),
                Map.entry("mul 3", new Object[]{(Function<Tensor, Tensor>) t -> t.mul(3), (DoubleUnaryOperator) v -> v * 3, x}),
                Map.entry("div 3", new Object[]{(Function<Tensor, Tensor>) t -> t.div(3), (DoubleUnaryOperator) v -> v / 3, x}),
                Map.entry("max 0.5", new Object[]{(Function<Tensor, Tensor>) t -> t.max(0.5), (DoubleUnaryOperator) v -> Math.max(v, 0.5), x}),
                Map.entry("min 0.5", new Object[]{(Function<Tensor, Tensor>) t -> t.min(0.5), (DoubleUnaryOperator) v -> Math.min(v, 0.5), x}));
        for (var entry : cases.entrySet()) {
            @SuppressWarnings("unchecked") Function<Tensor, Tensor> op = (Function<Tensor, Tensor>) entry.getValue()[0];
            DoubleUnaryOperator expected = (DoubleUnaryOperator) entry.getValue()[1];
            Tensor input = (Tensor) entry.getValue()[2];
            Tensor result = op.apply(input);
            assertEquals(dtype, result.dtype(), entry.getKey());
            assertElements(result, input.shape(), ix -> expected.applyAsDouble(input.get(ix)), tolerance(dtype), entry.getKey());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void geluMatchesKnownValuesAndItsDerivativesMatchFiniteDifferences(DType dtype) {
        Tensor points = Tensor.fromArray(new double[]{1, Math.sqrt(2) / 2}, 2).to(dtype);
        Tensor gelu = points.geluErf();
        // gelu(x) = x/2 · (1 + erf(x/√2)): at x = 1 erf(1/√2); at x = √2/2 erf(1/2).
        TestSupport.assertClose(0.5 * (1 + 0.6826894921370859), gelu.get(0), tolerance(dtype), "gelu(1)");
        TestSupport.assertClose(Math.sqrt(2) / 4 * (1 + ERF_HALF), gelu.get(1), tolerance(dtype), "gelu(√2/2)");
        assertEquals(ERF_ONE, dev.ranker4j.kernels.ScalarMath.erf(1), 1e-15);

        Tensor x = Tensor.fromArray(new double[]{-3, -1.2, -0.3, 0.4, 1.1, 2.5}, 6);
        double h = 1e-6;
        for (var pair : new Tensor[][]{{x.apply(UnaryOp.GELU_ERF_DERIVATIVE, 0), x.add(h).geluErf().sub(x.sub(h).geluErf()).div(2 * h)},
                {x.apply(UnaryOp.GELU_TANH_DERIVATIVE, 0), x.add(h).geluTanh().sub(x.sub(h).geluTanh()).div(2 * h)}}) {
            assertElements(pair[0], new int[]{6}, ix -> pair[1].get(ix), 1e-8, "gelu derivative");
        }
    }

    /** unaryBackward(op, x, dy) = dy · op′(x), with op′ written out from Tensor ops; strided x and dy. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void unaryBackwardIsTheGradientTimesTheDerivative(DType dtype) {
        Random random = new Random(2);
        Tensor x = TestSupport.random(dtype, random, 7, 9).transpose(0, 1).mul(3);
        Tensor dy = TestSupport.random(dtype, random, 7, 9).transpose(0, 1);
        Map<UnaryOp, Function<Tensor, Tensor>> derivatives = Map.of(
                UnaryOp.GELU_ERF, t -> t.apply(UnaryOp.GELU_ERF_DERIVATIVE, 0),
                UnaryOp.GELU_TANH, t -> t.apply(UnaryOp.GELU_TANH_DERIVATIVE, 0),
                UnaryOp.RELU, Tensor::step,
                UnaryOp.EXP, Tensor::exp,
                UnaryOp.TANH, t -> t.tanh().square().neg().add(1),
                UnaryOp.SIGMOID, t -> t.sigmoid().mul(t.neg().sigmoid()),
                UnaryOp.SQUARE, t -> t.mul(2));
        for (var entry : derivatives.entrySet()) {
            Tensor expected = dy.mul(entry.getValue().apply(x));
            Tensor actual = Gradients.unary(entry.getKey(), 0, x, dy);
            assertElements(actual, new int[]{9, 7}, expected::get, tolerance(dtype), "unaryBackward " + entry.getKey());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.unary(UnaryOp.GELU_ERF, 0, x, dy.narrow(0, 0, 2)));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Property(tries = 60)
    void binaryOpsBroadcastLikeNumPy(@ForAll("f32OrF64") DType dtype, @ForAll long seed,
                                     @ForAll @IntRange(min = 0, max = 3) int rank) {
        Random random = new Random(seed);
        int[] shape = TestSupport.randomShape(random, rank, 4);
        // Each operand keeps each axis or replaces it by 1, and may drop leading axes.
        int[] aShape = dropSome(random, shape), bShape = dropSome(random, shape);
        Tensor a = TestSupport.random(dtype, random, aShape), b = TestSupport.random(dtype, random, bShape).add(3);
        int[] outShape = Shape.broadcast("test", aShape, bShape);
        Map<BinaryOp, DoubleBinaryOperator> ops = Map.of(BinaryOp.ADD, Double::sum, BinaryOp.SUB, (u, v) -> u - v,
                BinaryOp.MUL, (u, v) -> u * v, BinaryOp.DIV, (u, v) -> u / v, BinaryOp.MAX, Math::max,
                BinaryOp.MIN, Math::min, BinaryOp.LT, (u, v) -> u < v ? 1 : 0, BinaryOp.GE, (u, v) -> u >= v ? 1 : 0);
        for (var op : ops.entrySet()) {
            Tensor result = a.apply(op.getKey(), b);
            assertElements(result, outShape, ix -> op.getValue().applyAsDouble(a.get(at(ix, aShape)), b.get(at(ix, bShape))),
                    tolerance(dtype), op.getKey().name());
        }
        Tensor positive = a.abs().add(0.5);
        assertElements(positive.pow(b), outShape,
                ix -> Math.pow(positive.get(at(ix, aShape)), b.get(at(ix, bShape))), tolerance(dtype) * 10, "pow");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<DType> f32OrF64() {
        return net.jqwik.api.Arbitraries.of(DType.F32, DType.F64);
    }

    private static int[] dropSome(Random random, int[] shape) {
        int drop = random.nextInt(shape.length + 1);
        int[] result = java.util.Arrays.copyOfRange(shape, drop, shape.length);
        for (int i = 0; i < result.length; i++) if (random.nextInt(3) == 0) result[i] = 1;
        return result;
    }

    /** The index into an operand of shape {@code operand} that broadcasting reads for output index {@code ix}. */
    private static int[] at(int[] ix, int[] operand) {
        int[] index = new int[operand.length];
        int lead = ix.length - operand.length;
        for (int i = 0; i < operand.length; i++) index[i] = operand[i] == 1 ? 0 : ix[lead + i];
        return index;
    }

    @Test
    void comparisonsGiveZeroOrOneInTheOperandDtype() {
        Tensor a = Tensor.fromArray(new float[]{1, 2, 3}, 3), b = Tensor.fromArray(new float[]{3, 2, 1}, 3);
        assertArrayEquals(new float[]{0, 1, 0}, a.eq(b).toFloatArray());
        assertArrayEquals(new float[]{1, 0, 1}, a.ne(b).toFloatArray());
        assertArrayEquals(new float[]{1, 0, 0}, a.lt(b).toFloatArray());
        assertArrayEquals(new float[]{1, 1, 0}, a.le(b).toFloatArray());
        assertArrayEquals(new float[]{0, 0, 1}, a.gt(b).toFloatArray());
        assertArrayEquals(new float[]{0, 1, 1}, a.ge(b).toFloatArray());
        assertArrayEquals(new float[]{0, 0, 1}, a.gt(2).toFloatArray());
        assertEquals(DType.F32, a.eq(b).dtype());
    }

    @Test
    void whereBroadcastsAndAcceptsIntegerConditions() {
        Tensor condition = Tensor.fromArray(new long[]{1, 0, 1}, 3);
        Tensor a = Tensor.fromArray(new double[]{10, 20}, 2, 1), b = Tensor.scalar(-1, DType.F64);
        Tensor result = Tensor.where(condition, a, b);
        assertArrayEquals(new int[]{2, 3}, result.shape());
        assertArrayEquals(new double[]{10, -1, 10, 20, -1, 20}, result.toDoubleArray());
    }

    @Test
    void dtypeMistakesAreReportedClearly() {
        Tensor f32 = Tensor.ones(DType.F32, 2), f64 = Tensor.ones(DType.F64, 2);
        assertEquals("add: operands F32 [2] and F64 [2] have different dtypes; convert one with to(...) (ranker4j never promotes silently)",
                assertThrows(IllegalArgumentException.class, () -> f32.add(f64)).getMessage());
        assertEquals("exp: tensor BF16 [2] is a storage-only dtype; convert with to(DType.F32) first",
                assertThrows(IllegalArgumentException.class, () -> f32.to(DType.BF16).exp()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3, DType.I64).mul(2));
        assertEquals("mul: shapes [2] and [3] cannot be broadcast: axis -1 has sizes 2 and 3",
                assertThrows(IllegalArgumentException.class, () -> f32.mul(Tensor.ones(DType.F32, 3))).getMessage());
    }
}
