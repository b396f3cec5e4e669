package dev.ranker4j.bench;

import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.GemmShape;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a workload's time goes, kernel by kernel: a {@link Backend} that forwards every call to another one and
 * adds its wall time to a row named after the kernel and its sizes ({@code gemm T F m=384 n=1536 k=4096}), so the
 * rows of a training step read like llm.c's per-layer table. Offsets, strides and leading dimensions are left out of
 * the name, so the 32 per-sequence calls of one product shape fall into one row.
 *
 * <p>A dynamic proxy rather than a hand-written decorator: every method of the SPI, present and future, is timed
 * without listing it here. The proxy's own cost (reflection, one map update) is a few microseconds per call, small
 * next to the millisecond kernels this is for; the total is printed beside the rows so that the two can be compared.
 */
final class KernelProfile {
    /** Integer parameters that are sizes (kept in a row's name); the others are offsets, strides or scalars. */
    private static final Set<String> SIZES = Set.of("batch", "m", "n", "k", "rows", "heads", "seqQ", "seqK", "d",
            "dim", "count");

    private final Map<String, long[]> rows = new HashMap<>(); // name → {nanoseconds, calls}
    private volatile boolean recording;

    /** A backend that times every call into {@code target} while {@link #record} is on. */
    Backend wrap(Backend target) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (!recording) return invoke(target, method, args);
                    long start = System.nanoTime();
                    Object result = invoke(target, method, args);
                    add(name(method, args), System.nanoTime() - start);
                    return result;
                });
    }

    void record(boolean on) {
        recording = on;
    }

    private static Object invoke(Backend target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized void add(String name, long nanos) {
        long[] row = rows.computeIfAbsent(name, key -> new long[2]);
        row[0] += nanos;
        row[1]++;
    }

    /** The kernel and its sizes, e.g. {@code unary GELU_ERF n=6291456} or {@code binary ADD shape=[4096, 384]}. */
    static String name(Method method, Object[] args) {
        StringBuilder name = new StringBuilder(method.getName());
        Parameter[] parameters = method.getParameters();
        for (int i = 0; args != null && i < args.length; i++) {
            String parameter = parameters[i].getName();
            Object value = args[i];
            if (value instanceof Enum<?> e) name.append(' ').append(e.name());
            else if (value instanceof Boolean b && parameter.startsWith("trans")) name.append(b ? " T" : " F");
            else if (value instanceof Integer n && SIZES.contains(parameter)) name.append(' ').append(parameter).append('=').append(n);
            else if (value instanceof int[] shape && parameter.equals("shape")) name.append(" shape=").append(Arrays.toString(shape));
            else if (value instanceof GemmShape || value instanceof AttentionShape) appendSizes(name, (Record) value);
        }
        return name.toString();
    }

    /** The transpose flags and sizes of a shape record ({@code batch} only when above 1). */
    private static void appendSizes(StringBuilder name, Record shape) {
        for (RecordComponent component : shape.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(shape);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String parameter = component.getName();
            if (value instanceof Boolean b && parameter.startsWith("trans")) name.append(b ? " T" : " F");
            else if (value instanceof Integer n && SIZES.contains(parameter) && !(parameter.equals("batch") && n == 1)) {
                name.append(' ').append(parameter).append('=').append(n);
            }
        }
    }

    /**
     * One JSON line per kernel row, slowest first, with seconds per {@code steps} and its share of the timed total,
     * then one line with the total; rows under {@code minShare} of the total are summed into "other".
     */
    synchronized List<String> report(int steps, double minShare) {
        long total = rows.values().stream().mapToLong(row -> row[0]).sum();
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<String> lines = new ArrayList<>();
        long otherNanos = 0, otherCalls = 0;
        for (Map.Entry<String, long[]> row : sorted) {
            long[] v = row.getValue();
            if (v[0] < minShare * total) {
                otherNanos += v[0];
                otherCalls += v[1];
                continue;
            }
            lines.add(line(row.getKey(), v[0], v[1], steps, total));
        }
        if (otherCalls > 0) lines.add(line("other", otherNanos, otherCalls, steps, total));
        lines.add(String.format(Locale.ROOT, "{\"profile\":\"total in kernels\",\"s_per_step\":%.4f}", total / 1e9 / steps));
        return lines;
    }

    private static String line(String name, long nanos, long calls, int steps, long total) {
        return String.format(Locale.ROOT, "{\"profile\":\"%s\",\"s_per_step\":%.4f,\"calls_per_step\":%d,\"share\":%.3f}",
                name, nanos / 1e9 / steps, calls / steps, nanos / (double) Math.max(total, 1));
    }
}
