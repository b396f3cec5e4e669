package dev.ranker4j.kernels;

/**
 * The compute SPI: every kernel ranker4j runs, on flat Java arrays.
 *
 * <p>Conventions, shared by every method so that a reader learns them once:
 * <ul>
 *   <li>Arrays are addressed as {@code array[offset + Σ index_i · stride_i]}; matrices are row-major with a leading
 *       dimension ({@code lda} = distance between consecutive rows). Nothing here knows about tensors.</li>
 *   <li>Every kernel exists for {@code float[]} (the fast path) and {@code double[]} (gradient checks and
 *       references); the two must agree to their precision.</li>
 *   <li>Outputs never alias inputs unless a method says so.</li>
 *   <li>A "rows" kernel works on a contiguous [rows, n] block: row r occupies {@code [off + r·n, off + (r+1)·n)}.</li>
 * </ul>
 *
 * <p>Implementations: {@link ReferenceBackend} (scalar, single-threaded, obviously correct: the twin every fast
 * kernel is tested against) and {@code CpuBackend} (SIMD + threads). Others, such as TornadoVM, are found through
 * {@link java.util.ServiceLoader} by {@link Backends}.
 */
public interface Backend {

    /** Short name used on the command line and in the {@code ranker4j.backend} system property, e.g. "cpu". */
    String name();

    /** Worker threads this backend uses for one kernel call. */
    int threads();

    // ---------------------------------------------------------------------------------------------- matrix products

    /**
     * C = alpha · op(A) · op(B) + beta · C, where op(X) is X or Xᵀ. op(A) is [m, k], op(B) is [k, n], C is [m, n].
     * With beta = 0, C is overwritten (its old contents, even NaN, are ignored).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb,
              double beta, double[] c, int cOff, int ldc);

    /**
     * C = alpha · op(A) · op(B) + bias, the row {@code bias[biasOff : biasOff + n]} added to every row of C: a linear
     * layer's y = x · Wᵀ + b. C's old contents are ignored (as gemm with beta = 0).
     *
     * <p>The default composes two kernels every backend already has, so a backend need not implement it: the bias
     * rows are broadcast into C with {@link #copy} (a source stride of 0 repeats the row), then {@link #gemm} adds
     * the product with beta = 1. A backend that can add the bias in its GEMM write-back (one pass over C instead of
     * two) overrides it.
     */
    default void gemmBias(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        if (m == 0 || n == 0) return;
        if (ldc == n) {
            copy(new int[] {m, n}, bias, biasOff, new int[] {0, 1}, c, cOff);
        } else {
            for (int row = 0; row < m; row++) copy(new int[] {n}, bias, biasOff, new int[] {1}, c, cOff + row * ldc);
        }
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 1f, c, cOff, ldc);
    }

    default void gemmBias(boolean transA, boolean transB, int m, int n, int k,
                          double alpha, double[] a, int aOff, int lda,
                          double[] b, int bOff, int ldb,
                          double[] c, int cOff, int ldc, double[] bias, int biasOff) {
        if (m == 0 || n == 0) return;
        if (ldc == n) {
            copy(new int[] {m, n}, bias, biasOff, new int[] {0, 1}, c, cOff);
        } else {
            for (int row = 0; row < m; row++) copy(new int[] {n}, bias, biasOff, new int[] {1}, c, cOff + row * ldc);
        }
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 1.0, c, cOff, ldc);
    }

    /**
     * {@code batch} independent GEMMs; matrix i of A starts at {@code aOff + i·strideA} (likewise B and C). A stride
     * of 0 broadcasts one matrix over the batch (not allowed for C).
     */
    void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int strideA, int lda,
                     float[] b, int bOff, int strideB, int ldb,
                     float beta, float[] c, int cOff, int strideC, int ldc);

    void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int strideA, int lda,
                     double[] b, int bOff, int strideB, int ldb,
                     double beta, double[] c, int cOff, int strideC, int ldc);

    // ------------------------------------------------------------------------------------------------ elementwise

    /** out[i] = op(x[i], param) for i in [0, n); x and out may be the same range (in place). */
    void unary(UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n);

    void unary(UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n);

    /**
     * The backward of {@link #unary}: dx[i] = dy[i] · op′(x[i]) for i in [0, n), x being the FORWARD INPUT. One
     * fused pass reads x and dy and writes dx, where the composed form writes op′(x) to a temporary and multiplies
     * in a second pass (GELU's backward, at 6 M elements per BERT layer, is where that shows). Every op has a
     * derivative here except ABS, STEP and the {@code *_DERIVATIVE} ops, which throw IllegalArgumentException.
     *
     * <p>The default composes kernels every backend has (see {@code UnaryDerivative} for each op's rule, e.g.
     * GELU_ERF → the GELU_ERF_DERIVATIVE kernel, then MUL); a backend overrides it with fused loops.
     */
    default void unaryBackward(UnaryOp op, double param, float[] x, int xOff, float[] dy, int dyOff,
                               float[] dx, int dxOff, int n) {
        UnaryDerivative.backward(this, op, param, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    default void unaryBackward(UnaryOp op, double param, double[] x, int xOff, double[] dy, int dyOff,
                               double[] dx, int dxOff, int n) {
        UnaryDerivative.backward(this, op, param, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * out = op(a, b) over the index space {@code shape}; a and b are read through their own strides (a stride of 0
     * broadcasts), out is written contiguously (row-major over {@code shape}).
     */
    void binary(BinaryOp op, int[] shape,
                float[] a, int aOff, int[] aStrides,
                float[] b, int bOff, int[] bStrides,
                float[] out, int outOff);

    void binary(BinaryOp op, int[] shape,
                double[] a, int aOff, int[] aStrides,
                double[] b, int bOff, int[] bStrides,
                double[] out, int outOff);

    /** out = cond ≠ 0 ? a : b over {@code shape}, each input through its own strides, out contiguous. */
    void where(int[] shape,
               float[] cond, int condOff, int[] condStrides,
               float[] a, int aOff, int[] aStrides,
               float[] b, int bOff, int[] bStrides,
               float[] out, int outOff);

    void where(int[] shape,
               double[] cond, int condOff, int[] condStrides,
               double[] a, int aOff, int[] aStrides,
               double[] b, int bOff, int[] bStrides,
               double[] out, int outOff);

    /** Copies a strided view into a contiguous row-major block: the one kernel behind {@code contiguous()}. */
    void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff);

    void copy(int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff);

    // ------------------------------------------------------------------------------------------------- reductions

    /** out[r] = op over x[r, 0..n) for each of {@code rows} contiguous rows. */
    void reduceRows(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff);

    void reduceRows(ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff);

    /** out[r] = index of the maximum of row r (the first one on ties, as PyTorch). */
    void argmaxRows(float[] x, int xOff, int rows, int n, int[] out, int outOff);

    void argmaxRows(double[] x, int xOff, int rows, int n, int[] out, int outOff);

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    /**
     * Softmax (or log-softmax) of each row. When {@code mask} is non-null, {@code mask[maskOff + (r / maskRowRepeat)·n + j]}
     * is added to x[r, j] first (an additive attention mask: 0 keeps, a large negative value drops); maskRowRepeat
     * lets one mask row serve several consecutive rows (all query positions of one head, say).
     */
    void softmaxRows(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat,
                     int rows, int n, boolean log, float[] out, int outOff);

    void softmaxRows(double[] x, int xOff, double[] mask, int maskOff, int maskRowRepeat,
                     int rows, int n, boolean log, double[] out, int outOff);

    /**
     * Backward of {@link #softmaxRows}: given y = softmax(x) (or log-softmax when {@code log}) and dy, writes
     * dx = y ⊙ (dy − Σ_j dy_j y_j) (or dx = dy − softmax(x) · Σ_j dy_j for log-softmax).
     */
    void softmaxBackwardRows(float[] y, int yOff, float[] dy, int dyOff, int rows, int n, boolean log,
                             float[] dx, int dxOff);

    void softmaxBackwardRows(double[] y, int yOff, double[] dy, int dyOff, int rows, int n, boolean log,
                             double[] dx, int dxOff);

    /**
     * Layer norm of each row: out = (x − mean) · rstd · gamma + beta, rstd = 1/√(var + eps) with the biased
     * variance. gamma/beta may be null (no affine). mean and rstd, one per row, are saved for the backward.
     */
    void layerNormRows(float[] x, int xOff, float[] gamma, float[] beta, float eps, int rows, int n,
                       float[] out, int outOff, float[] mean, float[] rstd);

    void layerNormRows(double[] x, int xOff, double[] gamma, double[] beta, double eps, int rows, int n,
                       double[] out, int outOff, double[] mean, double[] rstd);

    /**
     * Backward of {@link #layerNormRows}: writes dx, and ADDS into dGamma and dBeta (either may be null) so that
     * gradients accumulate over calls.
     */
    void layerNormBackwardRows(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd, float[] dy, int dyOff,
                               int rows, int n, float[] dx, int dxOff, float[] dGamma, float[] dBeta);

    void layerNormBackwardRows(double[] x, int xOff, double[] gamma, double[] mean, double[] rstd, double[] dy, int dyOff,
                               int rows, int n, double[] dx, int dxOff, double[] dGamma, double[] dBeta);

    // --------------------------------------------------------------------------------------------------- attention

    /**
     * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) of {@code batch · heads} independent heads:
     * <pre>
     *   O[b, h] = softmax(scale · Q[b, h] · K[b, h]ᵀ + mask[b]) · V[b, h]     Q, O [seqQ, d]; K, V [seqK, d]
     * </pre>
     * in the layout of a transformer's hidden states, so that no head is split out or merged back by a copy: element
     * j of head h of token s of sequence b is {@code q[qOff + (b·seqQ + s)·qRowStride + h·d + j]} (likewise k, v with
     * seqK, and out with {@code outRowStride}). {@code mask} (null: none) is additive, one row of seqK values per
     * sequence: {@code mask[maskOff + b·seqK + t]}. Out is written, never read.
     *
     * <p>The default runs each head as a GEMM, a row softmax and a second GEMM through a [seqQ, seqK] scratch
     * buffer. A backend that keeps the scores in cache (one head per thread) overrides it.
     */
    default void attention(int batch, int heads, int seqQ, int seqK, int d, float scale,
                           float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                           float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                           float[] out, int outOff, int outRowStride) {
        float[] scores = new float[seqQ * seqK], probabilities = new float[seqQ * seqK];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                gemm(false, true, seqQ, seqK, d, scale, q, qOff + b * seqQ * qRowStride + h * d, qRowStride,
                        k, kOff + b * seqK * kRowStride + h * d, kRowStride, 0f, scores, 0, seqK);
                softmaxRows(scores, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), seqQ, seqK, false, probabilities, 0);
                gemm(false, false, seqQ, d, seqK, 1f, probabilities, 0, seqK,
                        v, vOff + b * seqK * vRowStride + h * d, vRowStride, 0f, out, outOff + b * seqQ * outRowStride + h * d, outRowStride);
            }
        }
    }

    default void attention(int batch, int heads, int seqQ, int seqK, int d, double scale,
                           double[] q, int qOff, int qRowStride, double[] k, int kOff, int kRowStride,
                           double[] v, int vOff, int vRowStride, double[] mask, int maskOff,
                           double[] out, int outOff, int outRowStride) {
        double[] scores = new double[seqQ * seqK], probabilities = new double[seqQ * seqK];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                gemm(false, true, seqQ, seqK, d, scale, q, qOff + b * seqQ * qRowStride + h * d, qRowStride,
                        k, kOff + b * seqK * kRowStride + h * d, kRowStride, 0.0, scores, 0, seqK);
                softmaxRows(scores, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), seqQ, seqK, false, probabilities, 0);
                gemm(false, false, seqQ, d, seqK, 1.0, probabilities, 0, seqK,
                        v, vOff + b * seqK * vRowStride + h * d, vRowStride, 0.0, out, outOff + b * seqQ * outRowStride + h * d, outRowStride);
            }
        }
    }

    /**
     * Backward of {@link #attention}: given the forward's inputs and dO = dL/dO, writes dQ, dK and dV. Per sequence b
     * and head h, with P recomputed from Q and K exactly as the forward computes it:
     * <pre>
     *   S  = scale · Q Kᵀ + mask,   P = softmax(S)      (rows; P is [seqQ, seqK])
     *   dV = Pᵀ dO                                        [seqK, d]
     *   dP = dO Vᵀ                                        [seqQ, seqK]
     *   dS = P ⊙ (dP − rowsum(dP ⊙ P))                   (softmax backward)
     *   dQ = scale · dS K                                 [seqQ, d]
     *   dK = scale · dSᵀ Q                                [seqK, d]
     * </pre>
     * Every operand uses the hidden-state layout of {@link #attention}: dO like out (row stride
     * {@code dOutRowStride}), dQ like q, dK and dV like k and v, each through its own offset and row stride, so the
     * three gradients of a packed qkv [batch, seq, 3·heads·d] can be written into one packed gradient (offsets 0,
     * heads·d and 2·heads·d, row stride 3·heads·d). dQ, dK and dV are written, never read; they must not overlap
     * each other or the inputs.
     *
     * <p>The default runs the equations above head by head through two [seqQ, seqK] scratch buffers with
     * {@link #gemm}, {@link #softmaxRows} and {@link #softmaxBackwardRows}. A backend that keeps P and dP in cache
     * (one head per thread) overrides it.
     */
    default void attentionBackward(int batch, int heads, int seqQ, int seqK, int d, float scale,
                                   float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                   float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                   float[] dOut, int dOutOff, int dOutRowStride,
                                   float[] dq, int dqOff, int dqRowStride, float[] dk, int dkOff, int dkRowStride,
                                   float[] dv, int dvOff, int dvRowStride) {
        // scores holds S, then (no longer needed once P is made) dS
        float[] scores = new float[seqQ * seqK], probabilities = new float[seqQ * seqK];
        float[] dProbabilities = new float[seqQ * seqK];
        for (int b = 0; b < batch; b++) {
            int qAt = qOff + b * seqQ * qRowStride, kAt = kOff + b * seqK * kRowStride, vAt = vOff + b * seqK * vRowStride;
            int gAt = dOutOff + b * seqQ * dOutRowStride;
            int dqAt = dqOff + b * seqQ * dqRowStride, dkAt = dkOff + b * seqK * dkRowStride;
            int dvAt = dvOff + b * seqK * dvRowStride;
            for (int h = 0; h < heads; h++) {
                int col = h * d;
                gemm(false, true, seqQ, seqK, d, scale, q, qAt + col, qRowStride, k, kAt + col, kRowStride,
                        0f, scores, 0, seqK);
                softmaxRows(scores, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), seqQ, seqK, false,
                        probabilities, 0);
                gemm(true, false, seqK, d, seqQ, 1f, probabilities, 0, seqK, dOut, gAt + col, dOutRowStride,
                        0f, dv, dvAt + col, dvRowStride);
                gemm(false, true, seqQ, seqK, d, 1f, dOut, gAt + col, dOutRowStride, v, vAt + col, vRowStride,
                        0f, dProbabilities, 0, seqK);
                softmaxBackwardRows(probabilities, 0, dProbabilities, 0, seqQ, seqK, false, scores, 0);
                gemm(false, false, seqQ, d, seqK, scale, scores, 0, seqK, k, kAt + col, kRowStride,
                        0f, dq, dqAt + col, dqRowStride);
                gemm(true, false, seqK, d, seqQ, scale, scores, 0, seqK, q, qAt + col, qRowStride,
                        0f, dk, dkAt + col, dkRowStride);
            }
        }
    }

    default void attentionBackward(int batch, int heads, int seqQ, int seqK, int d, double scale,
                                   double[] q, int qOff, int qRowStride, double[] k, int kOff, int kRowStride,
                                   double[] v, int vOff, int vRowStride, double[] mask, int maskOff,
                                   double[] dOut, int dOutOff, int dOutRowStride,
                                   double[] dq, int dqOff, int dqRowStride, double[] dk, int dkOff, int dkRowStride,
                                   double[] dv, int dvOff, int dvRowStride) {
        // scores holds S, then (no longer needed once P is made) dS
        double[] scores = new double[seqQ * seqK], probabilities = new double[seqQ * seqK];
        double[] dProbabilities = new double[seqQ * seqK];
        for (int b = 0; b < batch; b++) {
            int qAt = qOff + b * seqQ * qRowStride, kAt = kOff + b * seqK * kRowStride, vAt = vOff + b * seqK * vRowStride;
            int gAt = dOutOff + b * seqQ * dOutRowStride;
            int dqAt = dqOff + b * seqQ * dqRowStride, dkAt = dkOff + b * seqK * dkRowStride;
            int dvAt = dvOff + b * seqK * dvRowStride;
            for (int h = 0; h < heads; h++) {
                int col = h * d;
                gemm(false, true, seqQ, seqK, d, scale, q, qAt + col, qRowStride, k, kAt + col, kRowStride,
                        0.0, scores, 0, seqK);
                softmaxRows(scores, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), seqQ, seqK, false,
                        probabilities, 0);
                gemm(true, false, seqK, d, seqQ, 1.0, probabilities, 0, seqK, dOut, gAt + col, dOutRowStride,
                        0.0, dv, dvAt + col, dvRowStride);
                gemm(false, true, seqQ, seqK, d, 1.0, dOut, gAt + col, dOutRowStride, v, vAt + col, vRowStride,
                        0.0, dProbabilities, 0, seqK);
                softmaxBackwardRows(probabilities, 0, dProbabilities, 0, seqQ, seqK, false, scores, 0);
                gemm(false, false, seqQ, d, seqK, scale, scores, 0, seqK, k, kAt + col, kRowStride,
                        0.0, dq, dqAt + col, dqRowStride);
                gemm(true, false, seqK, d, seqQ, scale, scores, 0, seqK, q, qAt + col, qRowStride,
                        0.0, dk, dkAt + col, dkRowStride);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    /** out[i, :] = table[ids[i], :] for i in [0, count); each row has {@code dim} elements. */
    void gatherRows(float[] table, int dim, int[] ids, int count, float[] out, int outOff);

    void gatherRows(double[] table, int dim, int[] ids, int count, double[] out, int outOff);

    /** table[ids[i], :] += src[i, :]: the backward of {@link #gatherRows}. Deterministic when ids repeat. */
    void scatterAddRows(float[] src, int srcOff, int dim, int[] ids, int count, float[] table);

    void scatterAddRows(double[] src, int srcOff, int dim, int[] ids, int count, double[] table);

    // ----------------------------------------------------------------------------------------------- optimizers

    /**
     * One AdamW update in place over {@code n} elements (the formula in {@link AdamWStep}): the parameter
     * {@code theta}, its first and second moments {@code m} and {@code v}, read-only gradient {@code grad}. The
     * default is the plain loop in PyTorch's order of operations (float arithmetic throughout); a device backend
     * overrides it so that weights, gradients and moments never leave the device.
     */
    default void adamW(AdamWStep step, float[] theta, float[] grad, float[] m, float[] v, int n) {
        float decay = (float) step.decayFactor(), stepSize = (float) step.stepSize();
        float b1 = (float) step.beta1(), b2 = (float) step.beta2();
        float oneMinusB1 = (float) (1 - step.beta1()), oneMinusB2 = (float) (1 - step.beta2());
        float correction2 = (float) step.biasCorrection2Sqrt(), eps = (float) step.eps();
        for (int i = 0; i < n; i++) {
            theta[i] *= decay;
            m[i] = m[i] * b1 + grad[i] * oneMinusB1;
            v[i] = v[i] * b2 + oneMinusB2 * grad[i] * grad[i];
            float denominator = (float) Math.sqrt(v[i]) / correction2 + eps;
            theta[i] += -stepSize * (m[i] / denominator);
        }
    }

    /** The float64 AdamW update: same order of operations, so results agree with PyTorch's to the last bits. */
    default void adamW(AdamWStep step, double[] theta, double[] grad, double[] m, double[] v, int n) {
        double decay = step.decayFactor(), stepSize = step.stepSize(), b1 = step.beta1(), b2 = step.beta2();
        double correction2 = step.biasCorrection2Sqrt(), eps = step.eps();
        for (int i = 0; i < n; i++) {
            theta[i] *= decay;
            m[i] = m[i] * b1 + grad[i] * (1 - b1);
            v[i] = v[i] * b2 + (1 - b2) * grad[i] * grad[i];
            double denominator = Math.sqrt(v[i]) / correction2 + eps;
            theta[i] += -stepSize * (m[i] / denominator);
        }
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /**
     * An inverted-dropout mask from the counter-based generator of {@link CounterRandom}: element i is
     * <pre>
     *   out[outOff + i] = unit(firstPosition + i, 0) ≥ p ? 1/(1 − p) : 0        i in [0, n), seed' = mix64(seed)
     * </pre>
     * ({@code 1/(1 − p)} computed in double, then rounded to float for the float overload; 0 for every element when
     * p = 1). Element i depends only on (seed, firstPosition + i), so any split of the range over threads or
     * work-items gives the same bits; {@code SeededRandom.dropoutMask} passes its counter as firstPosition.
     * Throws IllegalArgumentException for p outside [0, 1].
     *
     * <p>The default is the plain scalar loop (the reference); a backend overrides it with vector lanes or a device
     * kernel that writes the mask where the next kernel will read it.
     */
    default void dropoutMask(long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        long mixedSeed = CounterRandom.streamSeed(seed);
        float kept = (float) CounterRandom.keptValue(p);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = CounterRandom.unit(mixedSeed, firstPosition + i, 0) >= p ? kept : 0f;
        }
    }

    default void dropoutMask(long seed, long firstPosition, double p, double[] out, int outOff, int n) {
        long mixedSeed = CounterRandom.streamSeed(seed);
        double kept = CounterRandom.keptValue(p);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = CounterRandom.unit(mixedSeed, firstPosition + i, 0) >= p ? kept : 0.0;
        }
    }

    // ------------------------------------------------------------------------------- device memory (host access)

    /*
     * A backend with memory of its own (a GPU) keeps the arrays its kernels use on the device: inputs are uploaded
     * when the host copy is newer, outputs stay there. The Java array remains the name of the data, and whoever
     * touches its elements on the host (rather than through a kernel call) tells the backend, with the two hooks
     * below. In ranker4j that is the tensor layer (Storage), in one place. Backends that compute on the Java arrays
     * themselves, like the CPU and reference ones, keep these no-ops: the hooks cost them nothing.
     */

    /**
     * Host code is about to read {@code array} (a {@code float[]} or {@code double[]} passed to kernels of this
     * backend before), or to write only part of it: a device backend downloads it if the device holds a newer copy.
     */
    default void beforeHostAccess(Object array) {}

    /** Host code wrote {@code array}: a device copy, if any, is stale and is uploaded again by the next kernel. */
    default void afterHostWrite(Object array) {}

    /**
     * Makes every array the host may read current (downloads everything the device holds newer): called when this
     * backend stops being the current one, so that host code and the next backend see the results.
     */
    default void synchronizeHost() {}

    /**
     * A hint, not a kernel: {@code weights} (a model parameter) will be read by many calls, so a backend with memory
     * of its own may upload it now and never move it out to make room; the array's identity names it. Host changes
     * afterwards are reported like any other with {@link #afterHostWrite}. Backends that compute on the Java arrays,
     * like the CPU one, ignore it.
     */
    default void keepOnDevice(float[] weights) {}
}
