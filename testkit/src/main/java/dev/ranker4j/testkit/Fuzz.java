package dev.ranker4j.testkit;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fuzzes a file reader with mutated copies of a valid file (docs/RELIABILITY.md). Call it from a jqwik
 * {@code @Example} (jqwik draws only inside its lifecycle). For each of {@link #tries()} mutations drawn from a jqwik
 * arbitrary (seeded by {@code fuzz.seed}, so a failure replays), the mutated bytes are
 * written to the file and read; every outcome must be one of
 * <ul>
 *   <li><b>same</b>: the reader returns what it returned for the original file;</li>
 *   <li><b>refused</b>: it throws one of the format's own exception types, with a message naming the file;</li>
 *   <li><b>different</b>: it returns another result, which the format's {@link Judge} accepts as what that (still
 *       valid) file means; the judge says why a result would be silently wrong instead.</li>
 * </ul>
 * Anything else fails the run, with the first few mutations that broke it: another exception type (a
 * NullPointerException, an ArithmeticException, an OutOfMemoryError), a message without the file name, a result the
 * judge rejects, or a read taking longer than {@link #TIMEOUT_SECONDS} (a hang).
 *
 * <p>{@code -Dfuzz.tries=N} sets the number of mutations per format (default 300: seconds in CI), e.g. 10000 for the
 * benchmark of docs/RELIABILITY.md. Each run prints one line with its counts and time.
 */
public final class Fuzz {
    public static final int TIMEOUT_SECONDS = 20;

    private Fuzz() {}

    /** Reads a file into a comparable result. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws Exception;
    }

    /** Accepts a result that differs from the original's (returns null), or says why it is silently wrong. */
    @FunctionalInterface
    public interface Judge<T> {
        String problem(T original, T mutated, Mutation mutation) throws Exception;
    }

    /** The counts of one run. */
    public record Report(String format, int tries, int same, int refused, int different, double seconds,
                         List<String> failures) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fuzz %s: %d mutations in %.1f s (%.2f ms each): %d same, %d refused"
                            + " naming the file, %d different but valid, %d failures", format, tries, seconds,
                    1000 * seconds / Math.max(1, tries), same, refused, different, failures.size());
        }
    }

    /**
     * A new temporary directory, deleted when the JVM exits (fuzz tests run as jqwik examples, which have no
     * {@code @TempDir}).
     */
    public static Path temporaryDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // best effort
                }
            }));
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Mutations per format: {@code -Dfuzz.tries}, default 300. */
    public static int tries() {
        return Integer.getInteger("fuzz.tries", 300);
    }

    /** The seed of the mutations: {@code -Dfuzz.seed}, default 20261207. */
    public static long seed() {
        return Long.getLong("fuzz.seed", 20261207L);
    }

    /**
     * Runs {@link #tries()} mutations of {@code original} (the bytes of a valid file) through {@code reader} at
     * {@code file}, and restores the original bytes afterwards.
     */
    @SafeVarargs
    public static <T> Report run(String format, Path file, byte[] original, Arbitrary<Mutation> mutations,
                                 Reader<T> reader, Judge<T> judge, Class<? extends Throwable>... allowed) throws Exception {
        Files.write(file, original);
        T expected = reader.read(file);
        int tries = tries();
        RandomGenerator<Mutation> generator = mutations.generator(1000);
        Random random = new Random(seed() ^ format.hashCode());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + format);
            t.setDaemon(true);
            return t;
        });
        int same = 0, refused = 0, different = 0;
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < tries; i++) {
                Mutation mutation = generator.next(random).value();
                byte[] mutated = mutation.apply(original);
                Files.write(file, mutated);
                Future<T> result = worker.submit(() -> reader.read(file));
                String failure = null;
                try {
                    T value = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    if (value.equals(expected)) {
                        same++;
                    } else {
                        String problem;
                        try {
                            problem = judge.problem(expected, value, mutation);
                        } catch (Exception | AssertionError e) {
                            problem = "what was read cannot be used (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
                        }
                        if (problem == null) different++;
                        else failure = "silently different result: " + problem;
                    }
                } catch (TimeoutException hang) {
                    failure = "no answer after " + TIMEOUT_SECONDS + " s (a hang)";
                    result.cancel(true);
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor();
                } catch (ExecutionException e) {
                    Throwable thrown = e.getCause();
                    if (allowed(thrown, allowed)) {
                        if (thrown.getMessage() != null && thrown.getMessage().contains(file.toString())) refused++;
                        else failure = thrown.getClass().getSimpleName() + " without the file name: " + thrown.getMessage();
                    } else {
                        failure = thrown.getClass().getName() + ": " + thrown.getMessage() + " at " + where(thrown);
                    }
                }
                if (failure != null && failures.size() < 5) failures.add("try " + i + ", " + mutation + ": " + failure);
                else if (failure != null) failures.add("...");
            }
        } finally {
            worker.shutdownNow();
            Files.write(file, original);
        }
        Report report = new Report(format, tries, same, refused, different, (System.nanoTime() - start) / 1e9, failures);
        System.out.println(report);
        return report;
    }

    private static boolean allowed(Throwable thrown, Class<? extends Throwable>[] allowed) {
        for (Class<? extends Throwable> type : allowed) if (type.isInstance(thrown)) return true;
        return false;
    }

    private static String where(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }

    /** Fails the calling test unless the run had no failure. */
    public static void requireClean(Report report) {
        if (!report.failures().isEmpty()) {
            throw new AssertionError(report + "\n  " + String.join("\n  ", report.failures().stream().filter(f -> !f.equals("...")).toList())
                    + "\n  (replay: -Dfuzz.seed=" + seed() + " -Dfuzz.tries=" + report.tries() + ")");
        }
    }
}
