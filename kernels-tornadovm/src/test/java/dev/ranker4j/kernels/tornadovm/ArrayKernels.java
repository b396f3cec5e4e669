package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.AdamWStep;
import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.Strided;
import dev.ranker4j.kernels.UnaryOp;

/**
 * The kernels with the array-and-offset signatures the tests were written against, each building the operands of
 * the {@link Backend} SPI and making one call: the tests keep asserting what they asserted, through the new SPI.
 */
public final class ArrayKernels {
    private ArrayKernels() {}

    public static void gemm(Backend be, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                            int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        be.gemm(GemmShape.of(transA, transB, m, n, k), alpha, Matrix.of(a, aOff, lda), Matrix.of(b, bOff, ldb), beta,
                Matrix.of(c, cOff, ldc));
    }

    public static void gemmBias(Backend be, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, int biasOff) {
        be.gemmBias(GemmShape.of(transA, transB, m, n, k), alpha, Matrix.of(a, aOff, lda), Matrix.of(b, bOff, ldb),
                Matrix.of(c, cOff, ldc), ArrayRef.of(bias, biasOff));
    }

    public static void batchedGemm(Backend be, int batch, boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, float[] a, int aOff, int strideA, int lda, float[] b, int bOff,
                                   int strideB, int ldb, float beta, float[] c, int cOff, int strideC, int ldc) {
        be.gemm(new GemmShape(batch, transA, transB, m, n, k), alpha, new Matrix(ArrayRef.of(a, aOff), lda, strideA),
                new Matrix(ArrayRef.of(b, bOff), ldb, strideB), beta, new Matrix(ArrayRef.of(c, cOff), ldc, strideC));
    }

    public static void unary(Backend be, UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        be.unary(op, param, ArrayRef.of(x, xOff), ArrayRef.of(out, outOff), n);
    }

    public static void unaryBackward(Backend be, UnaryOp op, double param, float[] x, int xOff, float[] dy, int dyOff,
                                     float[] dx, int dxOff, int n) {
        be.unaryBackward(op, param, ArrayRef.of(x, xOff), ArrayRef.of(dy, dyOff), ArrayRef.of(dx, dxOff), n);
    }

    public static void binary(Backend be, BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b,
                              int bOff, int[] bStrides, float[] out, int outOff) {
        be.binary(op, shape, Strided.of(a, aOff, aStrides), Strided.of(b, bOff, bStrides), ArrayRef.of(out, outOff));
    }

    public static void where(Backend be, int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff,
                             int[] aStrides, float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        be.where(shape, Strided.of(cond, condOff, condStrides), Strided.of(a, aOff, aStrides),
                Strided.of(b, bOff, bStrides), ArrayRef.of(out, outOff));
    }

    public static void copy(Backend be, int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        be.copy(shape, Strided.of(src, srcOff, srcStrides), ArrayRef.of(dst, dstOff));
    }

    public static void reduceRows(Backend be, ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        be.reduceRows(op, ArrayRef.of(x, xOff), rows, n, ArrayRef.of(out, outOff));
    }

    public static void argmaxRows(Backend be, float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        be.argmaxRows(ArrayRef.of(x, xOff), rows, n, out, outOff);
    }

    public static void softmaxRows(Backend be, float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat,
                                   int rows, int n, boolean log, float[] out, int outOff) {
        be.softmaxRows(ArrayRef.of(x, xOff), mask == null ? null : ArrayRef.of(mask, maskOff), maskRowRepeat, rows, n,
                log, ArrayRef.of(out, outOff));
    }

    public static void softmaxBackwardRows(Backend be, float[] y, int yOff, float[] dy, int dyOff, int rows, int n,
                                           boolean log, float[] dx, int dxOff) {
        be.softmaxBackwardRows(ArrayRef.of(y, yOff), ArrayRef.of(dy, dyOff), rows, n, log, ArrayRef.of(dx, dxOff));
    }

    public static void layerNormRows(Backend be, float[] x, int xOff, float[] gamma, float[] beta, float eps, int rows,
                                     int n, float[] out, int outOff, float[] mean, float[] rstd) {
        be.layerNormRows(ArrayRef.of(x, xOff), ref(gamma), ref(beta), eps, rows, n, ArrayRef.of(out, outOff),
                new LayerNormStats(ArrayRef.of(mean), ArrayRef.of(rstd)));
    }

    public static void layerNormBackwardRows(Backend be, float[] x, int xOff, float[] gamma, float[] mean,
                                             float[] rstd, float[] dy, int dyOff, int rows, int n, float[] dx,
                                             int dxOff, float[] dGamma, float[] dBeta) {
        be.layerNormBackwardRows(ArrayRef.of(x, xOff), ref(gamma), new LayerNormStats(ArrayRef.of(mean),
                ArrayRef.of(rstd)), ArrayRef.of(dy, dyOff), rows, n, new LayerNormGrads(ArrayRef.of(dx, dxOff),
                ref(dGamma), ref(dBeta)));
    }

    public static void attention(Backend be, int batch, int heads, int seqQ, int seqK, int d, float scale,
                                 float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                 float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                 float[] out, int outOff, int outRowStride) {
        be.attention(new AttentionShape(batch, heads, seqQ, seqK, d), scale, new AttentionInputs(
                Matrix.of(q, qOff, qRowStride), Matrix.of(k, kOff, kRowStride), Matrix.of(v, vOff, vRowStride),
                mask == null ? null : ArrayRef.of(mask, maskOff)), null, Matrix.of(out, outOff, outRowStride));
    }

    public static void attentionBackward(Backend be, int batch, int heads, int seqQ, int seqK, int d, float scale,
                                         float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                         float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                         float[] dOut, int dOutOff, int dOutRowStride,
                                         float[] dq, int dqOff, int dqRowStride, float[] dk, int dkOff, int dkRowStride,
                                         float[] dv, int dvOff, int dvRowStride) {
        be.attentionBackward(new AttentionShape(batch, heads, seqQ, seqK, d), scale, new AttentionInputs(
                Matrix.of(q, qOff, qRowStride), Matrix.of(k, kOff, kRowStride), Matrix.of(v, vOff, vRowStride),
                mask == null ? null : ArrayRef.of(mask, maskOff)), null, Matrix.of(dOut, dOutOff, dOutRowStride),
                Matrix.of(dq, dqOff, dqRowStride), Matrix.of(dk, dkOff, dkRowStride), Matrix.of(dv, dvOff, dvRowStride));
    }

    public static void gatherRows(Backend be, float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        be.gatherRows(ArrayRef.of(table), dim, ids, count, ArrayRef.of(out, outOff));
    }

    public static void scatterAddRows(Backend be, float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        be.scatterAddRows(ArrayRef.of(src, srcOff), dim, ids, count, ArrayRef.of(table));
    }

    public static void adamW(Backend be, AdamWStep step, float[] theta, float[] grad, float[] m, float[] v, int n) {
        be.adamW(step, ArrayRef.of(theta), ArrayRef.of(grad), ArrayRef.of(m), ArrayRef.of(v), n);
    }

    public static void dropoutMask(Backend be, long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        be.dropoutMask(seed, firstPosition, p, ArrayRef.of(out, outOff), n);
    }

    private static ArrayRef ref(float[] values) {
        return values == null ? null : ArrayRef.of(values);
    }

    public static void gemm(Backend be, boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                            int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        be.gemm(GemmShape.of(transA, transB, m, n, k), alpha, Matrix.of(a, aOff, lda), Matrix.of(b, bOff, ldb), beta,
                Matrix.of(c, cOff, ldc));
    }

    public static void gemmBias(Backend be, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc,
                                double[] bias, int biasOff) {
        be.gemmBias(GemmShape.of(transA, transB, m, n, k), alpha, Matrix.of(a, aOff, lda), Matrix.of(b, bOff, ldb),
                Matrix.of(c, cOff, ldc), ArrayRef.of(bias, biasOff));
    }

    public static void batchedGemm(Backend be, int batch, boolean transA, boolean transB, int m, int n, int k,
                                   double alpha, double[] a, int aOff, int strideA, int lda, double[] b, int bOff,
                                   int strideB, int ldb, double beta, double[] c, int cOff, int strideC, int ldc) {
        be.gemm(new GemmShape(batch, transA, transB, m, n, k), alpha, new Matrix(ArrayRef.of(a, aOff), lda, strideA),
                new Matrix(ArrayRef.of(b, bOff), ldb, strideB), beta, new Matrix(ArrayRef.of(c, cOff), ldc, strideC));
    }

    public static void unary(Backend be, UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n) {
        be.unary(op, param, ArrayRef.of(x, xOff), ArrayRef.of(out, outOff), n);
    }

    public static void unaryBackward(Backend be, UnaryOp op, double param, double[] x, int xOff, double[] dy, int dyOff,
                                     double[] dx, int dxOff, int n) {
        be.unaryBackward(op, param, ArrayRef.of(x, xOff), ArrayRef.of(dy, dyOff), ArrayRef.of(dx, dxOff), n);
    }

    public static void binary(Backend be, BinaryOp op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b,
                              int bOff, int[] bStrides, double[] out, int outOff) {
        be.binary(op, shape, Strided.of(a, aOff, aStrides), Strided.of(b, bOff, bStrides), ArrayRef.of(out, outOff));
    }

    public static void where(Backend be, int[] shape, double[] cond, int condOff, int[] condStrides, double[] a, int aOff,
                             int[] aStrides, double[] b, int bOff, int[] bStrides, double[] out, int outOff) {
        be.where(shape, Strided.of(cond, condOff, condStrides), Strided.of(a, aOff, aStrides),
                Strided.of(b, bOff, bStrides), ArrayRef.of(out, outOff));
    }

    public static void copy(Backend be, int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff) {
        be.copy(shape, Strided.of(src, srcOff, srcStrides), ArrayRef.of(dst, dstOff));
    }

    public static void reduceRows(Backend be, ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
        be.reduceRows(op, ArrayRef.of(x, xOff), rows, n, ArrayRef.of(out, outOff));
    }

    public static void argmaxRows(Backend be, double[] x, int xOff, int rows, int n, int[] out, int outOff) {
        be.argmaxRows(ArrayRef.of(x, xOff), rows, n, out, outOff);
    }

    public static void softmaxRows(Backend be, double[] x, int xOff, double[] mask, int maskOff, int maskRowRepeat,
                                   int rows, int n, boolean log, double[] out, int outOff) {
        be.softmaxRows(ArrayRef.of(x, xOff), mask == null ? null : ArrayRef.of(mask, maskOff), maskRowRepeat, rows, n,
                log, ArrayRef.of(out, outOff));
    }

    public static void softmaxBackwardRows(Backend be, double[] y, int yOff, double[] dy, int dyOff, int rows, int n,
                                           boolean log, double[] dx, int dxOff) {
        be.softmaxBackwardRows(ArrayRef.of(y, yOff), ArrayRef.of(dy, dyOff), rows, n, log, ArrayRef.of(dx, dxOff));
    }

    public static void layerNormRows(Backend be, double[] x, int xOff, double[] gamma, double[] beta, double eps, int rows,
                                     int n, double[] out, int outOff, double[] mean, double[] rstd) {
        be.layerNormRows(ArrayRef.of(x, xOff), ref(gamma), ref(beta), eps, rows, n, ArrayRef.of(out, outOff),
                new LayerNormStats(ArrayRef.of(mean), ArrayRef.of(rstd)));
    }

    public static void layerNormBackwardRows(Backend be, double[] x, int xOff, double[] gamma, double[] mean,
                                             double[] rstd, double[] dy, int dyOff, int rows, int n, double[] dx,
                                             int dxOff, double[] dGamma, double[] dBeta) {
        be.layerNormBackwardRows(ArrayRef.of(x, xOff), ref(gamma), new LayerNormStats(ArrayRef.of(mean),
                ArrayRef.of(rstd)), ArrayRef.of(dy, dyOff), rows, n, new LayerNormGrads(ArrayRef.of(dx, dxOff),
                ref(dGamma), ref(dBeta)));
    }

    public static void attention(Backend be, int batch, int heads, int seqQ, int seqK, int d, double scale,
                                 double[] q, int qOff, int qRowStride, double[] k, int kOff, int kRowStride,
                                 double[] v, int vOff, int vRowStride, double[] mask, int maskOff,
                                 double[] out, int outOff, int outRowStride) {
        be.attention(new AttentionShape(batch, heads, seqQ, seqK, d), scale, new AttentionInputs(
                Matrix.of(q, qOff, qRowStride), Matrix.of(k, kOff, kRowStride), Matrix.of(v, vOff, vRowStride),
                mask == null ? null : ArrayRef.of(mask, maskOff)), null, Matrix.of(out, outOff, outRowStride));
    }

    public static void attentionBackward(Backend be, int batch, int heads, int seqQ, int seqK, int d, double scale,
                                         double[] q, int qOff, int qRowStride, double[] k, int kOff, int kRowStride,
                                         double[] v, int vOff, int vRowStride, double[] mask, int maskOff,
                                         double[] dOut, int dOutOff, int dOutRowStride,
                                         double[] dq, int dqOff, int dqRowStride, double[] dk, int dkOff, int dkRowStride,
                                         double[] dv, int dvOff, int dvRowStride) {
        be.attentionBackward(new AttentionShape(batch, heads, seqQ, seqK, d), scale, new AttentionInputs(
                Matrix.of(q, qOff, qRowStride), Matrix.of(k, kOff, kRowStride), Matrix.of(v, vOff, vRowStride),
                mask == null ? null : ArrayRef.of(mask, maskOff)), null, Matrix.of(dOut, dOutOff, dOutRowStride),
                Matrix.of(dq, dqOff, dqRowStride), Matrix.of(dk, dkOff, dkRowStride), Matrix.of(dv, dvOff, dvRowStride));
    }

    public static void gatherRows(Backend be, double[] table, int dim, int[] ids, int count, double[] out, int outOff) {
        be.gatherRows(ArrayRef.of(table), dim, ids, count, ArrayRef.of(out, outOff));
    }

    public static void scatterAddRows(Backend be, double[] src, int srcOff, int dim, int[] ids, int count, double[] table) {
        be.scatterAddRows(ArrayRef.of(src, srcOff), dim, ids, count, ArrayRef.of(table));
    }

    public static void adamW(Backend be, AdamWStep step, double[] theta, double[] grad, double[] m, double[] v, int n) {
        be.adamW(step, ArrayRef.of(theta), ArrayRef.of(grad), ArrayRef.of(m), ArrayRef.of(v), n);
    }

    public static void dropoutMask(Backend be, long seed, long firstPosition, double p, double[] out, int outOff, int n) {
        be.dropoutMask(seed, firstPosition, p, ArrayRef.of(out, outOff), n);
    }

    private static ArrayRef ref(double[] values) {
        return values == null ? null : ArrayRef.of(values);
    }
}
