package dev.ranker4j.autograd;

/**
 * A scope in which no graph is recorded: ops on variables compute their values and nothing else, so inference
 * pays nothing for autograd (no saved tensors, no nodes).
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Variable scores = model.forward(batch);   // constants: no creator, requiresGrad() == false
 * }
 * }</pre>
 *
 * <p>The scope is per thread and nests (a counter, not a flag), like {@code torch.no_grad()}.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Enters a no-grad scope on the current thread; close it (try-with-resources) to leave. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether ops on this thread record a graph right now. */
    public static boolean gradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a NoGrad scope must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        DEPTH.get()[0]--;
    }
}
