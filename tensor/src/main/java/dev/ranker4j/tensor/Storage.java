package dev.ranker4j.tensor;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.DeviceBackend;

/**
 * The flat, typed Java array behind one or more tensors (a tensor and all its views share one Storage).
 *
 * <p>Array per dtype: F32 {@code float[]}, F64 {@code double[]}, F16 and BF16 {@code short[]} (raw bits), I64
 * {@code long[]}, I32 {@code int[]}. The typed getters hand out the array itself, not a copy: writing to it changes
 * every tensor that views this storage. That is what checkpoint readers, optimizers and fast inference paths want;
 * everyone else should use Tensor's methods.
 *
 * <p><b>Host access and device backends.</b> A backend with device memory (TornadoVM) keeps the F32/F64 arrays its
 * kernels use on the device, and the Java array may be stale until the host asks for it. So the array is reached
 * two ways: ops pass it straight to {@link Backend} methods through the package-private {@code kernelArray(offset)}
 * (the backend manages its copies), and everything that touches elements on the host goes
 * through {@link #floats()} / {@link #doubles()} (read and write: the device copy is fetched, then considered
 * stale) or the package-private {@code hostRead()} (read only). These call {@link DeviceBackend#beforeHostAccess} and
 * {@link DeviceBackend#afterHostWrite} when the current backend is a device backend (F32 only: F64 never leaves the
 * host). An array obtained from
 * {@link #floats()} is safe to write until the next kernel call; call it again after one.
 */
public final class Storage {
    private final DType dtype;
    private final Object array;
    private final int length;
    /** The training step whose arena lent the array ({@link ActivationArena}), or null: the storage owns it. */
    private final ActivationArena.Step step;

    private Storage(DType dtype, Object array, int length) {
        this(dtype, array, length, null);
    }

    private Storage(DType dtype, Object array, int length, ActivationArena.Step step) {
        this.dtype = dtype;
        this.array = array;
        this.length = length;
        this.step = step;
    }

    /** A storage over an array the arena lends for {@code step} (the array may be longer than {@code length}). */
    static Storage pooled(DType dtype, Object array, int length, ActivationArena.Step step) {
        return new Storage(dtype, array, length, step);
    }

    /**
     * A zero-filled storage of {@code length} elements: from the current training step's {@link ActivationArena}
     * when this thread is in one (then it may only be used until the step ends), else a new array.
     */
    public static Storage allocate(DType dtype, int length) {
        return allocate(dtype, length, true);
    }

    /**
     * As {@link #allocate}, but when the arena lends the array it is not zeroed: for an op's output that the kernel
     * called next writes in full.
     */
    static Storage allocateOutput(DType dtype, int length) {
        return allocate(dtype, length, false);
    }

    private static Storage allocate(DType dtype, int length, boolean zeroed) {
        Storage pooled = ActivationArena.allocate(dtype, length, zeroed);
        if (pooled != null) return pooled;
        return switch (dtype) {
            case F32 -> new Storage(dtype, new float[length], length);
            case F64 -> new Storage(dtype, new double[length], length);
            case F16, BF16 -> new Storage(dtype, new short[length], length);
            case I64 -> new Storage(dtype, new long[length], length);
            case I32 -> new Storage(dtype, new int[length], length);
        };
    }

    public static Storage of(float[] values) {
        return new Storage(DType.F32, values, values.length);
    }

    public static Storage of(double[] values) {
        return new Storage(DType.F64, values, values.length);
    }

    public static Storage of(long[] values) {
        return new Storage(DType.I64, values, values.length);
    }

    public static Storage of(int[] values) {
        return new Storage(DType.I32, values, values.length);
    }

    /** F16 or BF16 raw bit patterns. */
    public static Storage ofHalfBits(DType dtype, short[] bits) {
        if (dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("16-bit storage must be F16 or BF16, got " + dtype);
        }
        return new Storage(dtype, bits, bits.length);
    }

    public DType dtype() {
        return dtype;
    }

    public int length() {
        return length;
    }

    /** Whether the array is lent by a training step's {@link ActivationArena} (see {@link #live}). */
    public boolean pooled() {
        return step != null;
    }

    /**
     * This storage, checked to be usable: a storage lent by an {@link ActivationArena} step may not be used after the
     * step ended (its array then belongs to the next step), and says so instead of reading someone else's data.
     */
    private Object live() {
        if (step != null && step.closed()) {
            throw new IllegalStateException("a tensor of training step " + step + " was used after the step ended: its "
                    + "memory went back to the ActivationArena. Read what you need inside the step (item(), "
                    + "toFloatArray()), or make it outside the arena (ActivationArena.outside)");
        }
        return array;
    }

    /** The array, current on the host, for host code that only reads it (dtype-independent moves, element reads). */
    Object hostRead() {
        Object array = live();
        if (array instanceof float[] floats && Backends.current() instanceof DeviceBackend device) {
            device.beforeHostAccess(floats);
        }
        return array;
    }

    /** The array, current on the host, for host code that writes it: any device copy is stale afterwards. */
    Object hostReadWrite() {
        Object array = live();
        if (array instanceof float[] floats && Backends.current() instanceof DeviceBackend device) {
            device.beforeHostAccess(floats);
            device.afterHostWrite(floats);
        }
        return array;
    }

    /** The F32 array for host code, to read or write (see the class comment). */
    public float[] floats() {
        require(DType.F32);
        return (float[]) hostReadWrite();
    }

    /** The F64 array for host code, to read or write (see the class comment). */
    public double[] doubles() {
        require(DType.F64);
        return (double[]) hostReadWrite();
    }

    /**
     * The F32 or F64 array from index {@code offset}, as a kernel operand for a {@link Backend} call: no host
     * access, the backend tracks its copies. One call serves both precisions; the backend picks the kernel.
     */
    ArrayRef kernelArray(int offset) {
        Object array = live();
        return switch (dtype) {
            case F32 -> ArrayRef.of((float[]) array, offset);
            case F64 -> ArrayRef.of((double[]) array, offset);
            default -> throw new IllegalStateException("storage holds " + dtype + ", which no kernel computes on");
        };
    }

    public long[] longs() {
        require(DType.I64);
        return (long[]) array;
    }

    public int[] ints() {
        require(DType.I32);
        return (int[]) array;
    }

    /** Raw bits of an F16 or BF16 storage. */
    public short[] halfBits() {
        if (dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalStateException("storage holds " + dtype + ", not F16/BF16 bits");
        }
        return (short[]) array;
    }

    /**
     * Element {@code i} as a double (ids beyond 2^53 lose precision). For element access and tests, not loops. Raw:
     * the caller makes the array host-current first ({@link #hostRead}), or it is a fresh array.
     */
    double getAsDouble(int i) {
        Object array = live();
        return switch (dtype) {
            case F32 -> ((float[]) array)[i];
            case F64 -> ((double[]) array)[i];
            case F16 -> HalfPrecision.f16ToFloat(((short[]) array)[i]);
            case BF16 -> HalfPrecision.bf16ToFloat(((short[]) array)[i]);
            case I64 -> ((long[]) array)[i];
            case I32 -> ((int[]) array)[i];
        };
    }

    /** Element {@code i} as a long: exact for integer dtypes, truncated toward zero for floating ones. */
    long getAsLong(int i) {
        return switch (dtype) {
            case I64 -> ((long[]) array)[i];
            case I32 -> ((int[]) array)[i];
            default -> (long) getAsDouble(i);
        };
    }

    /**
     * Stores {@code value} at {@code i}, rounding to this dtype (integers truncate toward zero). Raw: the caller uses
     * {@link #hostReadWrite} first, or the array is fresh (never passed to a kernel).
     */
    void setFromDouble(int i, double value) {
        Object array = live();
        switch (dtype) {
            case F32 -> ((float[]) array)[i] = (float) value;
            case F64 -> ((double[]) array)[i] = value;
            case F16 -> ((short[]) array)[i] = HalfPrecision.floatToF16((float) value);
            case BF16 -> ((short[]) array)[i] = HalfPrecision.floatToBf16((float) value);
            case I64 -> ((long[]) array)[i] = (long) value;
            case I32 -> ((int[]) array)[i] = (int) value;
        }
    }

    private void require(DType expected) {
        if (dtype != expected) throw new IllegalStateException("storage holds " + dtype + ", not " + expected);
    }
}
