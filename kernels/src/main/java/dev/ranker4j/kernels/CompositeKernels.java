package dev.ranker4j.kernels;

import java.util.List;

/**
 * The composite kernels every {@link Backend} gets without writing them: each is composed from the core kernels of
 * the backend it runs on (or is a plain loop), and is what {@link Backend}'s {@code default} methods call. A backend
 * that can do better (one fused pass, a device-resident update) overrides the default; the kernel properties compare
 * its version with these, run on the reference backend.
 */
public final class CompositeKernels {
    private CompositeKernels() {}

    /** {@link Backend#gemmBias}: the bias rows are copied into C (a source stride of 0 repeats the row), then C += A·B. */
    public static void gemmBias(Backend backend, GemmShape shape, double alpha, Matrix a, Matrix b, Matrix c,
                                ArrayRef bias) {
        if (shape.batch() != 1) throw new IllegalArgumentException("gemmBias: one product at a time, got " + shape);
        int m = shape.m(), n = shape.n(), ldc = c.ld();
        if (m == 0 || n == 0) return;
        if (ldc == n) {
            backend.copy(new int[] {m, n}, new Strided(bias, new int[] {0, 1}), c.data());
        } else {
            for (int row = 0; row < m; row++) {
                backend.copy(new int[] {n}, new Strided(bias, new int[] {1}), c.data().plus(row * ldc));
            }
        }
        backend.gemm(shape, alpha, a, b, 1, c);
    }

    /** {@link Backend#gemmBiasActivation}: the product (with its bias, if any), then the activation row by row. */
    public static void gemmBiasActivation(Backend backend, GemmShape shape, double alpha, Matrix a, Matrix b, Matrix c,
                                          ArrayRef bias, UnaryOp activation) {
        if (shape.batch() != 1) throw new IllegalArgumentException("gemmBiasActivation: one product at a time, got " + shape);
        if (bias == null) backend.gemm(shape, alpha, a, b, 0, c);
        else backend.gemmBias(shape, alpha, a, b, c, bias);
        int m = shape.m(), n = shape.n(), ldc = c.ld();
        if (m == 0 || n == 0) return;
        if (ldc == n) {
            backend.unary(activation, 0, c.data(), c.data(), m * n);
        } else {
            for (int row = 0; row < m; row++) {
                ArrayRef at = c.data().plus(row * ldc);
                backend.unary(activation, 0, at, at, n);
            }
        }
    }

    /**
     * {@link Backend#unaryBackward}: dx = dy · scale · Π factor_k(x), the rule of {@link UnaryOp#derivative}, each
     * factor's chain run as unary kernels on a copy of x and multiplied in with {@link BinaryOp#MUL}.
     */
    public static void unaryBackward(Backend backend, UnaryOp op, double param, ArrayRef x, ArrayRef dy, ArrayRef dx,
                                     int n) {
        UnaryOp.Derivative rule = op.derivative(param);
        if (rule == null) {
            throw new IllegalArgumentException("unaryBackward: " + op + " has no derivative (see UnaryOp.derivative)");
        }
        backend.unary(UnaryOp.MUL_SCALAR, rule.scale(), dy, dx, n);
        int[] shape = {n}, unit = {1};
        ArrayRef factor = x.allocate(n), product = x.allocate(n);
        for (List<UnaryOp.Step> chain : rule.factors()) {
            backend.copy(shape, new Strided(x, unit), factor);
            for (UnaryOp.Step step : chain) backend.unary(step.op(), step.param(), factor, factor, n);
            backend.binary(BinaryOp.MUL, shape, new Strided(dx, unit), new Strided(factor, unit), product);
            backend.copy(shape, new Strided(product, unit), dx);
        }
    }

    /**
     * {@link Backend#attention}: per sequence and head, scores = scale·QKᵀ (GEMM), softmax rows, with dropout the
     * head's mask ({@link Backend#dropoutMask} at the head's positions) multiplied in, then P·V (GEMM).
     */
    public static void attention(Backend backend, AttentionShape s, double scale, AttentionInputs in,
                                 AttentionDropout dropout, Matrix out) {
        int seqQ = s.seqQ(), seqK = s.seqK(), d = s.d(), size = seqQ * seqK;
        Matrix scores = Matrix.of(in.q().data().allocate(size), seqK);
        Matrix probabilities = Matrix.of(in.q().data().allocate(size), seqK);
        ArrayRef dropMask = dropout == null ? null : in.q().data().allocate(size);
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int col = h * d;
                backend.gemm(GemmShape.of(false, true, seqQ, seqK, d), scale, head(in.q(), b, seqQ, col),
                        head(in.k(), b, seqK, col), 0, scores);
                backend.softmaxRows(scores.data(), maskRow(in.mask(), b, seqK), Math.max(seqQ, 1), seqQ, seqK, false,
                        probabilities.data());
                Matrix used = probabilities;
                if (dropout != null) { // scores, no longer needed, take P ⊙ M
                    backend.dropoutMask(dropout.seed(), dropout.headPosition(s, b, h), dropout.p(), dropMask, size);
                    multiply(backend, size, probabilities.data(), dropMask, scores.data());
                    used = scores;
                }
                backend.gemm(GemmShape.of(false, false, seqQ, d, seqK), 1, used, head(in.v(), b, seqK, col),
                        0, head(out, b, seqQ, col));
            }
        }
    }

    /** {@link Backend#attentionBackward}: the equations of its Javadoc, head by head, through scratch buffers. */
    public static void attentionBackward(Backend backend, AttentionShape s, double scale, AttentionInputs in,
                                         AttentionDropout dropout, Matrix dOut, Matrix dq, Matrix dk, Matrix dv) {
        int seqQ = s.seqQ(), seqK = s.seqK(), d = s.d(), size = seqQ * seqK;
        // scores holds S, then (once P is made) P ⊙ M, then dS; dProbabilities holds dO Vᵀ, then dS with dropout
        Matrix scores = Matrix.of(in.q().data().allocate(size), seqK);
        Matrix probabilities = Matrix.of(in.q().data().allocate(size), seqK);
        Matrix dProbabilities = Matrix.of(in.q().data().allocate(size), seqK);
        ArrayRef dropMask = dropout == null ? null : in.q().data().allocate(size);
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int col = h * d;
                Matrix q = head(in.q(), b, seqQ, col), k = head(in.k(), b, seqK, col), v = head(in.v(), b, seqK, col);
                Matrix g = head(dOut, b, seqQ, col);
                backend.gemm(GemmShape.of(false, true, seqQ, seqK, d), scale, q, k, 0, scores);
                backend.softmaxRows(scores.data(), maskRow(in.mask(), b, seqK), Math.max(seqQ, 1), seqQ, seqK, false,
                        probabilities.data());
                Matrix kept = probabilities;
                if (dropout != null) {
                    backend.dropoutMask(dropout.seed(), dropout.headPosition(s, b, h), dropout.p(), dropMask, size);
                    multiply(backend, size, probabilities.data(), dropMask, scores.data());
                    kept = scores;
                }
                backend.gemm(GemmShape.of(true, false, seqK, d, seqQ), 1, kept, g, 0, head(dv, b, seqK, col));
                backend.gemm(GemmShape.of(false, true, seqQ, seqK, d), 1, g, v, 0, dProbabilities);
                Matrix dS = scores;
                if (dropout != null) { // dP = (dO Vᵀ) ⊙ M into scores, then dS into dProbabilities
                    multiply(backend, size, dProbabilities.data(), dropMask, scores.data());
                    backend.softmaxBackwardRows(probabilities.data(), scores.data(), seqQ, seqK, false,
                            dProbabilities.data());
                    dS = dProbabilities;
                } else {
                    backend.softmaxBackwardRows(probabilities.data(), dProbabilities.data(), seqQ, seqK, false,
                            scores.data());
                }
                backend.gemm(GemmShape.of(false, false, seqQ, d, seqK), scale, dS, k, 0, head(dq, b, seqQ, col));
                backend.gemm(GemmShape.of(true, false, seqK, d, seqQ), scale, dS, q, 0, head(dk, b, seqK, col));
            }
        }
    }

    /** out = a ⊙ b over n contiguous elements (one {@link BinaryOp#MUL} call). */
    private static void multiply(Backend backend, int n, ArrayRef a, ArrayRef b, ArrayRef out) {
        int[] shape = {n}, unit = {1};
        backend.binary(BinaryOp.MUL, shape, new Strided(a, unit), new Strided(b, unit), out);
    }

    /** Head h's [seq, d] block of sequence b in a hidden-state matrix: column offset {@code col}. */
    private static Matrix head(Matrix hidden, int b, int seq, int col) {
        return hidden.plus(b * seq * hidden.ld() + col);
    }

    private static ArrayRef maskRow(ArrayRef mask, int b, int seqK) {
        return mask == null ? null : mask.plus(b * seqK);
    }

    /**
     * {@link Backend#adamW}: the plain loop in PyTorch's order of operations, in the arrays' precision (float
     * arithmetic throughout for F32, so results agree with PyTorch's to the last bits in both).
     */
    public static void adamW(AdamWStep step, ArrayRef theta, ArrayRef grad, ArrayRef m, ArrayRef v, int n) {
        if (theta instanceof ArrayRef.F32 t32) {
            float[] t = t32.array(), g = grad.floats(), mm = m.floats(), vv = v.floats();
            int to = theta.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
            float decay = (float) step.decayFactor(), stepSize = (float) step.stepSize();
            float b1 = (float) step.beta1(), b2 = (float) step.beta2();
            float oneMinusB1 = (float) (1 - step.beta1()), oneMinusB2 = (float) (1 - step.beta2());
            float correction2 = (float) step.biasCorrection2Sqrt(), eps = (float) step.eps();
            for (int i = 0; i < n; i++) {
                t[to + i] *= decay;
                mm[mo + i] = mm[mo + i] * b1 + g[go + i] * oneMinusB1;
                vv[vo + i] = vv[vo + i] * b2 + oneMinusB2 * g[go + i] * g[go + i];
                float denominator = (float) Math.sqrt(vv[vo + i]) / correction2 + eps;
                t[to + i] += -stepSize * (mm[mo + i] / denominator);
            }
            return;
        }
        double[] t = theta.doubles(), g = grad.doubles(), mm = m.doubles(), vv = v.doubles();
        int to = theta.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        double decay = step.decayFactor(), stepSize = step.stepSize(), b1 = step.beta1(), b2 = step.beta2();
        double correction2 = step.biasCorrection2Sqrt(), eps = step.eps();
        for (int i = 0; i < n; i++) {
            t[to + i] *= decay;
            mm[mo + i] = mm[mo + i] * b1 + g[go + i] * (1 - b1);
            vv[vo + i] = vv[vo + i] * b2 + (1 - b2) * g[go + i] * g[go + i];
            double denominator = Math.sqrt(vv[vo + i]) / correction2 + eps;
            t[to + i] += -stepSize * (mm[mo + i] / denominator);
        }
    }

    /** {@link Backend#dropoutMask}: the scalar loop over the counter-based generator (the reference). */
    public static void dropoutMask(long seed, long firstPosition, double p, ArrayRef out, int n) {
        long mixedSeed = CounterRandom.streamSeed(seed);
        double kept = CounterRandom.keptValue(p);
        int at = out.offset();
        for (int i = 0; i < n; i++) {
            out.set(at + i, CounterRandom.unit(mixedSeed, firstPosition + i, 0) >= p ? kept : 0.0);
        }
    }
}
