package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/**
 * Every elementwise differentiable function, in one file: each with its forward and its gradient side by side.
 *
 * <p>Functions of one input are all one class, {@link UnaryFn}: y = op(x) for any {@link UnaryOp} that has a
 * derivative, and dy/dx comes from the derivative table written once in {@link UnaryOp#derivative}; the backward is
 * one fused kernel pass, dx = g · op′(x) ({@link Gradients#unary}). Adding such a function needs no class here:
 * a constant and two switch lines in {@code UnaryOp}, an entry point on {@code Variable} and a spec in the test's
 * {@code GradientSpecs} (docs/AUTOGRAD.md walks through {@code sin}).
 *
 * <p>Functions of two inputs broadcast (NumPy rules); each backward returns gradients in the broadcast shape, which
 * the engine sums back to each input's shape:
 * <pre>
 *   c = a + b        dc/da = 1               dc/db = 1
 *   c = a − b        dc/da = 1               dc/db = −1
 *   c = a ⊙ b        dc/da = b               dc/db = a
 *   c = a / b        dc/da = 1/b             dc/db = −a/b² = −c/b
 *   c = max(a, b)    to a where a ≥ b        to b elsewhere          (ties go to a, so the shares add up to g)
 *   c = min(a, b)    to a where a ≤ b        to b elsewhere
 *   c = cond ? a : b to a where cond         to b elsewhere          (cond a constant)
 * </pre>
 */
public final class ElementwiseFns {
    private ElementwiseFns() {}

    /** y = op(x, param). dy/dx = the rule in {@link UnaryOp#derivative}, evaluated at x in one pass with the multiply by g. */
    public static final class UnaryFn extends DifferentiableFunction {
        private final UnaryOp op;
        private final double param;

        public UnaryFn(UnaryOp op, double param) {
            if (!op.hasDerivative()) {
                throw new IllegalArgumentException(op + " has no derivative in UnaryOp's table: it cannot be an autograd op");
            }
            this.op = op;
            this.param = param;
        }

        @Override
        public String name() {
            return op.displayName();
        }

        @Override
        protected Tensor forward(Tensor... in) {
            save(in[0]);
            return in[0].apply(op, param);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {Gradients.unary(op, param, saved(0), g)};
        }
    }

    /** c = a + b. */
    public static final class AddFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].add(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g, g}; // the engine sums each back to its input's shape
        }
    }

    /** c = a − b. */
    public static final class SubFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].sub(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g, needsGrad(1) ? g.neg() : null};
        }
    }

    /** c = a ⊙ b. */
    public static final class MulFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            save(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor a = saved(0), b = saved(1);
            return new Tensor[] {needsGrad(0) ? g.mul(b) : null, needsGrad(1) ? g.mul(a) : null};
        }
    }

    /** c = a / b. */
    public static final class DivFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            Tensor c = in[0].div(in[1]);
            save(in[1], c);
            return c;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor b = saved(0), c = saved(1);
            Tensor gOverB = g.div(b);
            return new Tensor[] {gOverB, needsGrad(1) ? gOverB.mul(c).neg() : null};
        }
    }

    /** c = max(a, b); the gradient goes to the larger input (to a on ties: max is not differentiable there). */
    public static final class MaximumFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            save(in[0], in[1]);
            return in[0].max(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor aWins = saved(0).ge(saved(1)); // 1 where a ≥ b, else 0
            Tensor toA = g.mul(aWins);
            return new Tensor[] {toA, needsGrad(1) ? g.sub(toA) : null};
        }
    }

    /** c = min(a, b); the gradient goes to the smaller input (to a on ties). */
    public static final class MinimumFn extends DifferentiableFunction {
        @Override
        protected Tensor forward(Tensor... in) {
            save(in[0], in[1]);
            return in[0].min(in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor aWins = saved(0).le(saved(1)); // 1 where a ≤ b, else 0
            Tensor toA = g.mul(aWins);
            return new Tensor[] {toA, needsGrad(1) ? g.sub(toA) : null};
        }
    }

    /** c = cond ? a : b, cond a constant (nonzero = true) fixed at construction. */
    public static final class WhereFn extends DifferentiableFunction {
        private final Tensor cond;

        public WhereFn(Tensor cond) {
            this.cond = cond;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return Tensor.where(cond, in[0], in[1]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor zero = Tensor.zeros(g.dtype(), 1);
            return new Tensor[] {
                needsGrad(0) ? Tensor.where(cond, g, zero) : null,
                needsGrad(1) ? Tensor.where(cond, zero, g) : null};
        }
    }
}
