package dev.ranker4j.ir.metrics;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.SplittableRandom;

/**
 * Paired significance tests between two systems' per-query scores (same queries, same order), as used to compare
 * rankers (Smucker, Allan and Carterette 2007, "A Comparison of Statistical Significance Tests for Information
 * Retrieval Evaluation"). Both are two-sided and test whether the mean of {@code d_q = a_q - b_q} differs from 0.
 */
public final class SignificanceTests {
    private SignificanceTests() {}

    /** The outcome of a test. */
    public record Result(String test, int queries, double meanDifference, double statistic, double pValue) {}

    /**
     * Paired two-sided Student t-test: {@code t = mean(d) / (sd(d) / sqrt(n))} with {@code n - 1} degrees of freedom,
     * {@code sd} the sample standard deviation. When every difference is equal the test is degenerate: p = 1 if they
     * are all 0, else p = 0 (an infinite t).
     */
    public static Result pairedTTest(double[] a, double[] b) {
        double[] d = differences(a, b);
        int n = d.length;
        if (n < 2) throw new IllegalArgumentException("a paired t-test needs at least 2 queries, got " + n);
        double mean = mean(d);
        double squares = 0;
        for (double x : d) squares += (x - mean) * (x - mean);
        double sd = Math.sqrt(squares / (n - 1));
        if (sd == 0) {
            return new Result("ttest", n, mean, mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean),
                    mean == 0 ? 1 : 0);
        }
        double t = mean / (sd / Math.sqrt(n));
        double p = 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
        return new Result("ttest", n, mean, t, p);
    }

    /**
     * Paired randomization (permutation) test: under the null hypothesis the two systems' labels are exchangeable per
     * query, so each {@code d_q} is equally likely to have either sign. Each of {@code trials} rounds flips every sign
     * with probability 1/2 (a {@link SplittableRandom} seeded with {@code seed}) and counts rounds whose
     * {@code |mean|} reaches the observed {@code |mean(d)|}. {@code p = (count + 1) / (trials + 1)}, the estimate that
     * counts the observed labelling as one of the permutations and is never 0 (Phipson and Smyth 2010).
     */
    public static Result pairedRandomization(double[] a, double[] b, int trials, long seed) {
        if (trials < 1) throw new IllegalArgumentException("the randomization test needs trials >= 1, got " + trials);
        double[] d = differences(a, b);
        if (d.length == 0) throw new IllegalArgumentException("the randomization test needs at least 1 query");
        double observed = Math.abs(mean(d));
        // Sums of permuted differences can differ from the observed one by rounding alone; compare with a tolerance.
        double tolerance = 1e-12 * Math.max(1, observed);
        SplittableRandom random = new SplittableRandom(seed);
        long atLeastAsExtreme = 0;
        for (int trial = 0; trial < trials; trial++) {
            double sum = 0;
            for (double x : d) sum += random.nextBoolean() ? x : -x;
            if (Math.abs(sum / d.length) >= observed - tolerance) atLeastAsExtreme++;
        }
        double p = (atLeastAsExtreme + 1.0) / (trials + 1.0);
        return new Result("randomization", d.length, mean(d), observed, p);
    }

    private static double[] differences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired tests need one score per query from both systems: "
                    + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) sum += value;
        return sum / values.length;
    }
}
