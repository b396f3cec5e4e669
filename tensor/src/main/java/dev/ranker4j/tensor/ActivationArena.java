package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.DeviceBackend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The memory of training steps: every float and double array a step allocates (activations, gradients, masks,
 * temporaries) comes from here, and goes back here when the step ends, so that after the first step a training step
 * allocates almost nothing (PyTorch keeps a caching allocator for the same reason; llm.c allocates its activations
 * once). Without it, a MiniLM LCE step made 1.5–3.4 GB of short-lived arrays, most of them humongous objects for G1,
 * and the launcher needed GC tuning flags to cope (docs/BENCHMARKS.md).
 *
 * <pre>
 *   ActivationArena arena = new ActivationArena();                 // one per training loop
 *   for (...) {
 *       try (ActivationArena.Step step = arena.begin()) {          // this thread's allocations now come from arena
 *           optimizer.zeroGrad();
 *           Variable loss = objective(model.forward(batch));
 *           loss.backward();
 *           optimizer.step();
 *           log(loss.item());                                        // read what you need inside the step
 *       }                                                            // every array of the step is free again
 *   }
 * </pre>
 *
 * <p><b>The rule, and how it is enforced.</b> A tensor made during a step lives until the step ends. Its storage
 * belongs to the step: once the step is closed, any use of it, or of any view of it, throws
 * {@link IllegalStateException} naming the step (the storage checks on every access, so misuse cannot silently read
 * another step's data). What must outlive a step is made outside the arena: {@link #outside} (optimizer moments,
 * caches), and {@link Tensor#toFloatArray()}/{@link Tensor#toDoubleArray()} always return arrays of their own.
 * The one thing no check can see is a raw array kept from {@link Storage#floats()} past the end of the step;
 * {@code -Dranker4j.arena.poison=true} (the tests run with it) fills every array with NaN when its step ends, so such
 * a read shows up as NaN instead of stale numbers.
 *
 * <p><b>Sizes.</b> Free arrays are kept by capacity class: a request for n elements takes an array of the smallest
 * class ≥ n, eight classes per doubling (at most 12.5 % larger), so batches padded to slightly different lengths
 * share arrays. The storage's length is n; the array may be longer (nobody may read past a storage's length).
 * Arrays are zeroed over [0, n) when handed out, as {@link Tensor#zeros} promises, except for an op's output that
 * its kernel writes in full (the tensor package's {@code Tensor.output}): zeroing those was a single-threaded pass over
 * every activation of the step. Arrays under
 * {@link #MIN_ELEMENTS} are left to the JVM (a thread-local allocation buffer serves them faster than a lookup
 * here). When a step ends, arrays that neither it nor the step before used are dropped, so the arena holds about
 * one step's working set even when shapes change.
 *
 * <p>One step at a time per thread; other threads (and code on this thread outside a step) allocate as before.
 * Several threads may run steps on one arena at once (an encoder called from two threads): its free lists are
 * guarded by the arena's lock, taken once per pooled allocation and once per step end.
 * Under a device backend ({@link DeviceBackend}, which tracks host arrays by identity) the arena stays out of the
 * way: steps then allocate from the JVM.
 */
public final class ActivationArena {
    /** Arrays smaller than this many elements are not pooled. */
    public static final int MIN_ELEMENTS = 1024;
    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();

    private final boolean poison;
    /** Smallest array pooled ({@link #MIN_ELEMENTS}; tests pool everything). */
    private final int minElements;
    /** Free arrays by key (dtype and capacity class). */
    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    /** The step each key was last handed out in. */
    private final Map<Long, Long> lastUsed = new HashMap<>();
    // Guarded by this arena's lock: free, lastUsed, steps, pooledBytes, last.
    private long steps;
    private long pooledBytes;
    private Stats last = new Stats(0, 0, 0, 0, 0);

    /** An arena that poisons released arrays when {@code -Dranker4j.arena.poison=true}. */
    public ActivationArena() {
        this(Boolean.getBoolean("ranker4j.arena.poison"));
    }

    /** @param poison fill every array with NaN when its step ends (a debugging aid; costs a pass over the memory) */
    public ActivationArena(boolean poison) {
        this(poison, MIN_ELEMENTS);
    }

    /** As {@link #ActivationArena(boolean)}, pooling arrays of at least {@code minElements} (tests pool all). */
    public ActivationArena(boolean poison, int minElements) {
        this.poison = poison;
        this.minElements = Math.max(1, minElements);
    }

    /** What the last finished step did: arrays reused and made, bytes made, bytes the arena holds. */
    public record Stats(long reused, long made, long madeBytes, long handedOutBytes, long pooledBytes) {}

    /** The figures of the last step that ended. */
    public synchronized Stats lastStep() {
        return last;
    }

    /**
     * Starts a step on this thread: until it is closed, this thread's F32 and F64 allocations of at least
     * {@link #MIN_ELEMENTS} elements come from this arena. Fails if the thread is already in a step.
     */
    public Step begin() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("ActivationArena: this thread is already in step " + CURRENT.get()
                    + "; close it before beginning another");
        }
        long number;
        synchronized (this) {
            number = ++steps;
        }
        Step step = new Step(this, number, !(Backends.current() instanceof DeviceBackend));
        CURRENT.set(step);
        return step;
    }

    /**
     * Runs {@code body} with this thread's step (if any) suspended: what it allocates is ordinary JVM memory that
     * outlives the step (an optimizer's moments made at its first update, a cache).
     */
    public static <T> T outside(Supplier<T> body) {
        Step step = CURRENT.get();
        if (step == null) return body.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            CURRENT.set(step);
        }
    }

    /** Whether this thread is in a step now. */
    public static boolean inStep() {
        return CURRENT.get() != null;
    }

    /**
     * Called by {@link Storage#allocate}: a storage from the current step's arena, or null (allocate as usual). Zeroed
     * unless {@code zeroed} is false (an op's output that its kernel writes in full; in poison mode it then holds NaN
     * until written, so an op that leaves an element unwritten shows up in the tests).
     */
    static Storage allocate(DType dtype, int length, boolean zeroed) {
        if (dtype != DType.F32 && dtype != DType.F64) return null;
        Step step = CURRENT.get();
        if (step == null || !step.pooling || length < step.arena.minElements) return null;
        return step.take(dtype, length, zeroed);
    }

    /**
     * The capacity class of n: the smallest m·2^e ≥ n with m in [8, 16), i.e. n rounded up to its top four bits.
     * Eight classes per doubling, each at most 12.5 % above the request.
     */
    static int capacity(int n) {
        int shift = Math.max(0, 31 - Integer.numberOfLeadingZeros(n) - 3);
        long step = 1L << shift;
        return (int) Math.min(Integer.MAX_VALUE - 8, (n + step - 1) / step * step);
    }

    private static long key(DType dtype, int capacity) {
        return ((long) dtype.ordinal() << 32) | capacity;
    }

    /** Bytes of one array of a key's class. */
    private static long bytesOf(long key) {
        return (key & 0xFFFF_FFFFL) * DType.values()[(int) (key >>> 32)].byteSize();
    }

    /** One step's allocations: closing it returns every array to the arena and retires the step's storages. */
    public static final class Step implements AutoCloseable {
        private final ActivationArena arena;
        private final long number;
        /** False under a device backend: then nothing is pooled. */
        private final boolean pooling;
        private final List<Object> handedOut = new ArrayList<>();
        private final List<Long> keys = new ArrayList<>();
        private boolean closed;
        private long reused, made, madeBytes, handedOutBytes;

        private Step(ActivationArena arena, long number, boolean pooling) {
            this.arena = arena;
            this.number = number;
            this.pooling = pooling;
        }

        /** Whether the step has ended (its storages may no longer be used). */
        boolean closed() {
            return closed;
        }

        private Storage take(DType dtype, int length, boolean zeroed) {
            int capacity = capacity(length);
            long key = key(dtype, capacity);
            long bytes = (long) capacity * dtype.byteSize();
            Object array;
            synchronized (arena) {
                ArrayDeque<Object> list = arena.free.get(key);
                array = list == null ? null : list.poll();
                arena.lastUsed.put(key, Math.max(number, arena.lastUsed.getOrDefault(key, 0L)));
                if (array == null) arena.pooledBytes += bytes;
            }
            if (array == null) {
                array = dtype == DType.F32 ? new float[capacity] : new double[capacity];
                made++;
                madeBytes += bytes;
            } else {
                reused++;
                if (zeroed && array instanceof float[] f) Arrays.fill(f, 0, length, 0f);
                else if (zeroed) Arrays.fill((double[]) array, 0, length, 0.0);
            }
            handedOutBytes += bytes;
            handedOut.add(array);
            keys.add(key);
            return Storage.pooled(dtype, array, length, this);
        }

        /** Returns the step's arrays to the arena (poisoned first if asked) and drops those unused for two steps. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (CURRENT.get() == this) CURRENT.remove();
            if (arena.poison) {
                for (Object array : handedOut) {
                    if (array instanceof float[] f) Arrays.fill(f, Float.NaN);
                    else Arrays.fill((double[]) array, Double.NaN);
                }
            }
            synchronized (arena) {
                for (int i = 0; i < handedOut.size(); i++) {
                    arena.free.computeIfAbsent(keys.get(i), k -> new ArrayDeque<>()).push(handedOut.get(i));
                }
                for (Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = arena.free.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, ArrayDeque<Object>> entry = it.next();
                    if (number - arena.lastUsed.getOrDefault(entry.getKey(), 0L) >= 2) {
                        arena.pooledBytes -= bytesOf(entry.getKey()) * entry.getValue().size();
                        arena.lastUsed.remove(entry.getKey());
                        it.remove();
                    }
                }
                arena.last = new Stats(reused, made, madeBytes, handedOutBytes, arena.pooledBytes);
            }
            handedOut.clear();
            keys.clear();
        }

        @Override
        public String toString() {
            return "#" + number + (closed ? " (closed)" : "");
        }
    }
}
