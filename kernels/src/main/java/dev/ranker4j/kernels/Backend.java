package dev.ranker4j.kernels;

/**
 * The compute SPI: every kernel ranker4j runs, on flat Java arrays.
 *
 * <p>Conventions, shared by every method so that a reader learns them once:
 * <ul>
 *   <li>Operands are {@link ArrayRef}s (an array and the index its data starts at), {@link Strided} (plus strides:
 *       element {@code [i0, i1, ...]} is {@code array[offset + Σ index_k · stride_k]}, a stride of 0 broadcasts) or
 *       {@link Matrix} (plus a leading dimension: row-major, {@code ld} = distance between consecutive rows).
 *       Nothing here knows about tensors.</li>
 *   <li>One method serves both precisions: all array operands of a call are {@code float[]} or all are
 *       {@code double[]}. F32 is the fast path; F64 is for checking and may run on the plain reference loops
 *       ({@link ReferenceBackend}), which is what {@code CpuBackend} and the device backends do.</li>
 *   <li>Outputs never alias inputs unless a method says so.</li>
 *   <li>A "rows" kernel works on a contiguous [rows, n] block: row r occupies {@code [off + r·n, off + (r+1)·n)}.</li>
 *   <li>No method takes more than eight parameters: related ones travel as a small record
 *       ({@link GemmShape}, {@link AttentionShape}, {@link AttentionInputs}, {@link AttentionDropout},
 *       {@link LayerNormStats}, {@link LayerNormGrads}).</li>
 * </ul>
 *
 * <p>The abstract methods are the core: what a backend must implement ({@link ReferenceBackend} is the plainest
 * implementation, the twin every fast kernel is tested against). The {@code default} methods are composite kernels
 * that every backend gets for free, composed from the core in {@link CompositeKernels}; a backend overrides them with
 * fused versions. A backend with memory of its own implements {@link DeviceBackend} too. Implementations are found by
 * {@link Backends} ({@code CpuBackend} by default, others through {@link java.util.ServiceLoader}).
 */
public interface Backend {

    /** Short name used on the command line and in the {@code ranker4j.backend} system property, e.g. "cpu". */
    String name();

    /** Worker threads this backend uses for one kernel call. */
    int threads();

    // ============================================================================================ core kernels

    /**
     * C = alpha · op(A) · op(B) + beta · C for each of {@code shape.batch()} products, matrix i of A starting at
     * {@code a.offset() + i · a.batchStride()} (likewise B and C; a batch stride of 0 broadcasts A or B, never C).
     * With beta = 0, C is overwritten (its old contents, even NaN, are ignored).
     */
    void gemm(GemmShape shape, double alpha, Matrix a, Matrix b, double beta, Matrix c);

    /** out[i] = op(x[i], param) for i in [0, n); x and out may be the same range (in place). */
    void unary(UnaryOp op, double param, ArrayRef x, ArrayRef out, int n);

    /**
     * out = op(a, b) over the index space {@code shape}; a and b are read through their own strides (a stride of 0
     * broadcasts), out is written contiguously (row-major over {@code shape}).
     */
    void binary(BinaryOp op, int[] shape, Strided a, Strided b, ArrayRef out);

    /** out = cond ≠ 0 ? a : b over {@code shape}, each input through its own strides, out contiguous. */
    void where(int[] shape, Strided cond, Strided a, Strided b, ArrayRef out);

    /** Copies a strided view into a contiguous row-major block: the one kernel behind {@code contiguous()}. */
    void copy(int[] shape, Strided src, ArrayRef dst);

    /** out[r] = op over x[r, 0..n) for each of {@code rows} contiguous rows. */
    void reduceRows(ReduceOp op, ArrayRef x, int rows, int n, ArrayRef out);

    /** out[outOff + r] = index of the maximum of row r (the first one on ties, as PyTorch). */
    void argmaxRows(ArrayRef x, int rows, int n, int[] out, int outOff);

    /**
     * Softmax (or log-softmax) of each row. When {@code mask} is non-null, {@code mask[offset + (r / maskRowRepeat)·n + j]}
     * is added to x[r, j] first (an additive attention mask: 0 keeps, a large negative value drops); maskRowRepeat
     * lets one mask row serve several consecutive rows (all query positions of one head, say).
     */
    void softmaxRows(ArrayRef x, ArrayRef mask, int maskRowRepeat, int rows, int n, boolean log, ArrayRef out);

    /**
     * Backward of {@link #softmaxRows}: given y = softmax(x) (or log-softmax when {@code log}) and dy, writes
     * dx = y ⊙ (dy − Σ_j dy_j y_j) (or dx = dy − softmax(x) · Σ_j dy_j for log-softmax).
     */
    void softmaxBackwardRows(ArrayRef y, ArrayRef dy, int rows, int n, boolean log, ArrayRef dx);

    /**
     * Layer norm of each row: out = (x − mean) · rstd · gamma + beta, rstd = 1/√(var + eps) with the biased
     * variance. gamma/beta (from index 0) may be null (no affine). mean and rstd, one per row from index 0, are
     * saved for the backward.
     */
    void layerNormRows(ArrayRef x, ArrayRef gamma, ArrayRef beta, double eps, int rows, int n, ArrayRef out,
                       LayerNormStats stats);

    /**
     * Backward of {@link #layerNormRows}: writes dx, and ADDS into dGamma and dBeta (either may be null) so that
     * gradients accumulate over calls. With x̂ = (x − μ)·rstd and g = dy ⊙ γ:
     * dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)), dγ += Σ_rows dy ⊙ x̂, dβ += Σ_rows dy.
     */
    void layerNormBackwardRows(ArrayRef x, ArrayRef gamma, LayerNormStats stats, ArrayRef dy, int rows, int n,
                               LayerNormGrads grads);

    /** out[i, :] = table[ids[i], :] for i in [0, count); each row has {@code dim} elements, the table from index 0. */
    void gatherRows(ArrayRef table, int dim, int[] ids, int count, ArrayRef out);

    /** table[ids[i], :] += src[i, :]: the backward of {@link #gatherRows}. Deterministic when ids repeat. */
    void scatterAddRows(ArrayRef src, int dim, int[] ids, int count, ArrayRef table);

    // ====================================================================== composite kernels (CompositeKernels)

    /**
     * C = alpha · op(A) · op(B) + bias, the row {@code bias[offset : offset + n]} added to every row of C: a linear
     * layer's y = x · Wᵀ + b. C's old contents are ignored. Default: the bias rows copied into C, then a GEMM with
     * beta = 1 ({@link CompositeKernels#gemmBias}); a backend that adds the bias in its GEMM write-back overrides it.
     */
    default void gemmBias(GemmShape shape, double alpha, Matrix a, Matrix b, Matrix c, ArrayRef bias) {
        CompositeKernels.gemmBias(this, shape, alpha, a, b, c, bias);
    }

    /**
     * C = activation(alpha · op(A) · op(B) + bias): a linear layer and the non-linearity after it, for inference (the
     * values before the activation are not kept). {@code bias} may be null (none). Default: {@link #gemmBias} (or a
     * gemm), then the activation over C ({@link CompositeKernels#gemmBiasActivation}); a backend that applies it to
     * each block of C while the block is still in cache overrides it. The activation is elementwise, so both give
     * the same bits.
     */
    default void gemmBiasActivation(GemmShape shape, double alpha, Matrix a, Matrix b, Matrix c, ArrayRef bias,
                                    UnaryOp activation) {
        CompositeKernels.gemmBiasActivation(this, shape, alpha, a, b, c, bias, activation);
    }

    /**
     * The backward of {@link #unary}: dx[i] = dy[i] · op′(x[i]) for i in [0, n), x being the FORWARD INPUT, with op′
     * from the derivative table in {@link UnaryOp}. Ops without a derivative throw IllegalArgumentException.
     * Default: the table's rule run as unary kernels and a multiply ({@link CompositeKernels#unaryBackward}); a
     * backend overrides it with fused one-pass loops.
     */
    default void unaryBackward(UnaryOp op, double param, ArrayRef x, ArrayRef dy, ArrayRef dx, int n) {
        CompositeKernels.unaryBackward(this, op, param, x, dy, dx, n);
    }

    /**
     * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) of {@code batch · heads} independent heads:
     * <pre>
     *   O[b, h] = D(softmax(scale · Q[b, h] · K[b, h]ᵀ + mask[b])) · V[b, h]     Q, O [seqQ, d]; K, V [seqK, d]
     * </pre>
     * in the hidden-state layout of {@link AttentionInputs} (out likewise, with its own ld), where D is the identity
     * when {@code dropout} is null and otherwise multiplies the probabilities by the mask of {@link AttentionDropout}.
     * Out is written, never read. Default: per head a GEMM, a row softmax, the dropout mask and a multiply, and a
     * GEMM through scratch buffers ({@link CompositeKernels#attention}); a backend that keeps the scores in cache
     * overrides it.
     */
    default void attention(AttentionShape shape, double scale, AttentionInputs in, AttentionDropout dropout, Matrix out) {
        CompositeKernels.attention(this, shape, scale, in, dropout, out);
    }

    /**
     * Backward of {@link #attention}: given the forward's inputs (and its dropout, drawn again from the same
     * positions) and dO = dL/dO, writes dQ, dK and dV. Per sequence b and head h, with P recomputed from Q and K
     * exactly as the forward computes it and M the dropout mask (all ones without dropout):
     * <pre>
     *   S  = scale · Q Kᵀ + mask,   P = softmax(S)      (rows; P is [seqQ, seqK])
     *   dV = (P ⊙ M)ᵀ dO                                  [seqK, d]
     *   dP = (dO Vᵀ) ⊙ M                                  [seqQ, seqK]
     *   dS = P ⊙ (dP − rowsum(dP ⊙ P))                   (softmax backward)
     *   dQ = scale · dS K                                 [seqQ, d]
     *   dK = scale · dSᵀ Q                                [seqK, d]
     * </pre>
     * Every gradient has the layout of its input, through its own offset and ld, so the three gradients of a packed
     * qkv [batch, seq, 3·heads·d] can be written into one packed gradient. dQ, dK and dV are written, never read; they
     * must not overlap each other or the inputs. Default: {@link CompositeKernels#attentionBackward}.
     */
    default void attentionBackward(AttentionShape shape, double scale, AttentionInputs in, AttentionDropout dropout,
                                   Matrix dOut, Matrix dq, Matrix dk, Matrix dv) {
        CompositeKernels.attentionBackward(this, shape, scale, in, dropout, dOut, dq, dk, dv);
    }

    /**
     * One AdamW update in place over {@code n} elements (the formula in {@link AdamWStep}): the parameter
     * {@code theta}, its first and second moments {@code m} and {@code v}, read-only gradient {@code grad}, all from
     * their offsets. Default: the plain loop in PyTorch's order of operations ({@link CompositeKernels#adamW}); a
     * device backend overrides it so that weights, gradients and moments never leave the device.
     */
    default void adamW(AdamWStep step, ArrayRef theta, ArrayRef grad, ArrayRef m, ArrayRef v, int n) {
        CompositeKernels.adamW(step, theta, grad, m, v, n);
    }

    /**
     * An inverted-dropout mask from the counter-based generator of {@link CounterRandom}: element i is
     * <pre>
     *   out[offset + i] = unit(firstPosition + i, 0) ≥ p ? 1/(1 − p) : 0        i in [0, n), seed' = mix64(seed)
     * </pre>
     * ({@code 1/(1 − p)} computed in double, then rounded to the array's precision; 0 for every element when p = 1).
     * Element i depends only on (seed, firstPosition + i), so any split of the range gives the same bits. Throws
     * IllegalArgumentException for p outside [0, 1]. Default: the plain scalar loop
     * ({@link CompositeKernels#dropoutMask}), the reference.
     */
    default void dropoutMask(long seed, long firstPosition, double p, ArrayRef out, int n) {
        CompositeKernels.dropoutMask(seed, firstPosition, p, out, n);
    }
}
