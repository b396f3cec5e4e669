package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.Strided;
import dev.ranker4j.kernels.StridedLoop;

/**
 * Moving and converting elements: strided to contiguous copies, dtype conversion, fills and copies into a view.
 * F32/F64 copies go through {@link Backend#copy}; the other dtypes (ids, masks, half-precision storage) use plain
 * loops here, since the kernels only compute in F32 and F64.
 */
final class Conversions {
    private Conversions() {}

    /** A new contiguous tensor with the elements of {@code x} in row-major order. */
    static Tensor copyToContiguous(Tensor x) {
        Tensor out = Tensor.output(x.dtype, x.shape);
        switch (x.dtype) {
            case F32, F64 -> Backends.current().copy(x.shape, new Strided(x.ref(), x.strides), out.ref());
            default -> gatherStrided(x, out.storage.hostReadWrite());
        }
        return out;
    }

    /** Copies the elements of a strided view of any dtype into {@code dst} (same element type) in row-major order. */
    private static void gatherStrided(Tensor x, Object dst) {
        int n = x.numel();
        Object src = x.storage.hostRead();
        if (x.isContiguous()) {
            System.arraycopy(src, x.offset, dst, 0, n);
            return;
        }
        StridedLoop loop = new StridedLoop(x.shape, new int[]{x.offset}, x.strides);
        switch (src) {
            case long[] s -> { long[] d = (long[]) dst; for (int i = 0; i < n; i++, loop.advance()) d[i] = s[loop.position(0)]; }
            case int[] s -> { int[] d = (int[]) dst; for (int i = 0; i < n; i++, loop.advance()) d[i] = s[loop.position(0)]; }
            case short[] s -> { short[] d = (short[]) dst; for (int i = 0; i < n; i++, loop.advance()) d[i] = s[loop.position(0)]; }
            case float[] s -> { float[] d = (float[]) dst; for (int i = 0; i < n; i++, loop.advance()) d[i] = s[loop.position(0)]; }
            case double[] s -> { double[] d = (double[]) dst; for (int i = 0; i < n; i++, loop.advance()) d[i] = s[loop.position(0)]; }
            default -> throw new IllegalStateException("unknown storage array " + src.getClass());
        }
    }

    /**
     * {@code x} converted to {@code target}. Floating to integer truncates toward zero (NaN becomes 0), as Java
     * casts do; F64 to F16/BF16 rounds through F32.
     */
    static Tensor convert(Tensor x, DType target) {
        Tensor src = x.contiguous();
        int n = src.numel(), off = src.offset;
        Storage out = switch (target) {
            case F32 -> Storage.of(floats(src.storage, off, n));
            case F64 -> Storage.of(doubles(src.storage, off, n));
            case I64 -> Storage.of(longs(src.storage, off, n));
            case I32 -> {
                long[] wide = longs(src.storage, off, n);
                int[] narrow = new int[n];
                for (int i = 0; i < n; i++) narrow[i] = (int) wide[i];
                yield Storage.of(narrow);
            }
            case F16, BF16 -> {
                short[] bits = new short[n];
                float[] values = floats(src.storage, off, n); // F16 <-> BF16 too: widening is exact, one rounding
                for (int i = 0; i < n; i++) bits[i] = toHalf(target, values[i]);
                yield Storage.ofHalfBits(target, bits);
            }
        };
        return Tensor.wrap(out, x.shape);
    }

    private static short toHalf(DType target, float value) {
        return target == DType.F16 ? HalfPrecision.floatToF16(value) : HalfPrecision.floatToBf16(value);
    }

    private static float[] floats(Storage s, int off, int n) {
        float[] out = new float[n];
        switch (s.dtype()) {
            case F32 -> System.arraycopy((float[]) s.hostRead(), off, out, 0, n);
            case F64 -> { double[] in = (double[]) s.hostRead(); for (int i = 0; i < n; i++) out[i] = (float) in[off + i]; }
            case F16 -> { short[] in = s.halfBits(); for (int i = 0; i < n; i++) out[i] = HalfPrecision.f16ToFloat(in[off + i]); }
            case BF16 -> { short[] in = s.halfBits(); for (int i = 0; i < n; i++) out[i] = HalfPrecision.bf16ToFloat(in[off + i]); }
            case I64 -> { long[] in = s.longs(); for (int i = 0; i < n; i++) out[i] = in[off + i]; }
            case I32 -> { int[] in = s.ints(); for (int i = 0; i < n; i++) out[i] = in[off + i]; }
        }
        return out;
    }

    private static double[] doubles(Storage s, int off, int n) {
        double[] out = new double[n];
        switch (s.dtype()) {
            case F64 -> System.arraycopy((double[]) s.hostRead(), off, out, 0, n);
            case I64 -> { long[] in = s.longs(); for (int i = 0; i < n; i++) out[i] = in[off + i]; }
            case I32 -> { int[] in = s.ints(); for (int i = 0; i < n; i++) out[i] = in[off + i]; }
            default -> { float[] in = floats(s, off, n); for (int i = 0; i < n; i++) out[i] = in[i]; }
        }
        return out;
    }

    private static long[] longs(Storage s, int off, int n) {
        long[] out = new long[n];
        switch (s.dtype()) {
            case I64 -> System.arraycopy(s.longs(), off, out, 0, n);
            case I32 -> { int[] in = s.ints(); for (int i = 0; i < n; i++) out[i] = in[off + i]; }
            default -> { double[] in = doubles(s, off, n); for (int i = 0; i < n; i++) out[i] = (long) in[i]; }
        }
        return out;
    }

    /** Sets every element of the (possibly strided) view {@code x} to {@code value}. */
    static void fill(Tensor x, double value) {
        int n = x.numel();
        if (n == 0) return;
        Storage s = x.storage;
        s.hostReadWrite();
        if (x.isContiguous()) {
            switch (x.dtype) {
                case F32 -> java.util.Arrays.fill((float[]) s.kernelArray(0).array(), x.offset, x.offset + n, (float) value);
                case F64 -> java.util.Arrays.fill((double[]) s.kernelArray(0).array(), x.offset, x.offset + n, value);
                case I64 -> java.util.Arrays.fill(s.longs(), x.offset, x.offset + n, (long) value);
                case I32 -> java.util.Arrays.fill(s.ints(), x.offset, x.offset + n, (int) value);
                case F16, BF16 -> {
                    s.setFromDouble(x.offset, value);
                    java.util.Arrays.fill(s.halfBits(), x.offset, x.offset + n, s.halfBits()[x.offset]);
                }
            }
            return;
        }
        StridedLoop loop = new StridedLoop(x.shape, new int[]{x.offset}, x.strides);
        for (int i = 0; i < n; i++, loop.advance()) s.setFromDouble(loop.position(0), value);
    }

    /**
     * Writes {@code source}, broadcast to the shape of {@code destination}, into destination's elements. A contiguous
     * F32/F64 destination takes one {@link Backend#copy}; other destinations are written through their strides.
     */
    static void copyInto(Tensor source, Tensor destination) {
        if (source.dtype != destination.dtype) {
            throw new IllegalArgumentException("copyFrom: source is " + source.describe() + ", destination "
                    + destination.describe() + "; convert with to(" + destination.dtype + ") first");
        }
        int[] sourceStrides = Shape.broadcastStrides("copyFrom", source.shape, source.strides, destination.shape);
        if (destination.isContiguous() && destination.dtype.isComputable() && !sharesStorage(source, destination)) {
            Backend backend = Backends.current();
            backend.copy(destination.shape, new Strided(source.ref(), sourceStrides), destination.ref());
            return;
        }
        // General case (strided destination, other dtypes, or overlapping storage): stage a contiguous copy first.
        Tensor staged = copyToContiguous(new Tensor(source.storage, destination.shape, sourceStrides, source.offset));
        scatterContiguous(staged.storage.hostRead(), destination);
    }

    /** Writes a row-major array of destination's shape into the (possibly strided) view {@code destination}. */
    static void scatterContiguous(Object src, Tensor destination) {
        int n = destination.numel();
        Object dst = destination.storage.hostReadWrite();
        if (destination.isContiguous()) {
            System.arraycopy(src, 0, dst, destination.offset, n);
            return;
        }
        StridedLoop loop = new StridedLoop(destination.shape, new int[]{destination.offset}, destination.strides);
        switch (dst) {
            case float[] d -> { float[] s = (float[]) src; for (int i = 0; i < n; i++, loop.advance()) d[loop.position(0)] = s[i]; }
            case double[] d -> { double[] s = (double[]) src; for (int i = 0; i < n; i++, loop.advance()) d[loop.position(0)] = s[i]; }
            case long[] d -> { long[] s = (long[]) src; for (int i = 0; i < n; i++, loop.advance()) d[loop.position(0)] = s[i]; }
            case int[] d -> { int[] s = (int[]) src; for (int i = 0; i < n; i++, loop.advance()) d[loop.position(0)] = s[i]; }
            case short[] d -> { short[] s = (short[]) src; for (int i = 0; i < n; i++, loop.advance()) d[loop.position(0)] = s[i]; }
            default -> throw new IllegalStateException("unknown storage array " + dst.getClass());
        }
    }

    private static boolean sharesStorage(Tensor a, Tensor b) {
        return a.storage == b.storage;
    }
}
