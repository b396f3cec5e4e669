package dev.ranker4j.autograd;

import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * For every op in {@link OpRegistry}: how to draw a random test case in the op's safe domain (away from kinks,
 * ties and poles), with random shapes that include size-1 axes and broadcasting. Constants a case captures (masks,
 * conditions, targets) are converted to the inputs' dtype so the same case runs in F32 and F64.
 */
final class GradientSpecs {
    private GradientSpecs() {}

    /** Inputs (float64) and the function of them to differentiate. */
    record Case(String description, List<Tensor> inputs, Function<List<Variable>, Variable> f) {
        @Override
        public String toString() {
            return description;
        }
    }

    interface Spec {
        Case draw(Random random);
    }

    static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        binary("Add", (a, b) -> a.add(b), -2, 2, -2, 2);
        binary("Sub", (a, b) -> a.sub(b), -2, 2, -2, 2);
        binary("Mul", (a, b) -> a.mul(b), -2, 2, -2, 2);
        SPECS.put("Div", r -> {
            int[][] s = broadcastPair(r);
            return new Case("div " + shapes(s), List.of(uniform(r, s[0], -2, 2), awayFromZero(r, s[1], 0.5, 2)), in -> in.get(0).div(in.get(1)));
        });
        // Grids offset by 0.05 never tie: |a − b| ≥ 0.05 keeps max/min away from their kink.
        SPECS.put("Maximum", r -> {
            int[][] s = broadcastPair(r);
            return new Case("maximum " + shapes(s), List.of(grid(r, s[0], 0.05), grid(r, s[1], 0)), in -> in.get(0).maximum(in.get(1)));
        });
        SPECS.put("Minimum", r -> {
            int[][] s = broadcastPair(r);
            return new Case("minimum " + shapes(s), List.of(grid(r, s[0], 0.05), grid(r, s[1], 0)), in -> in.get(0).minimum(in.get(1)));
        });
        SPECS.put("Where", r -> {
            int[][] s = broadcastPair(r);
            Tensor cond = bits(r, broadcastOf(r, s[0]), 0.5);
            return new Case("where " + shapes(s), List.of(uniform(r, s[0], -2, 2), uniform(r, s[1], -2, 2)),
                    in -> Ops.where(cond.to(in.get(0).dtype()), in.get(0), in.get(1)));
        });
        SPECS.put("AddScalar", r -> {
            double c = r.nextDouble() * 4 - 2;
            return unaryCase(r, "add " + c, -2, 2, x -> x.add(c));
        });
        SPECS.put("MulScalar", r -> {
            double c = r.nextDouble() * 4 - 2;
            return unaryCase(r, "mul " + c, -2, 2, x -> x.mul(c));
        });
        SPECS.put("Pow", r -> {
            double p = new double[] {-1.5, 0.5, 2, 3}[r.nextInt(4)];
            return unaryCase(r, "pow " + p, 0.5, 2, x -> x.pow(p));
        });
        unary("Neg", -2, 2, Variable::neg);
        unary("Exp", -2, 2, Variable::exp);
        unary("Log", 0.5, 3, Variable::log);
        unary("Sqrt", 0.5, 3, Variable::sqrt);
        unary("Tanh", -2, 2, Variable::tanh);
        unary("Sigmoid", -3, 3, Variable::sigmoid);
        unary("GeluErf", -3, 3, Variable::gelu);
        unary("Rsqrt", 0.5, 3, x -> x.apply(UnaryOp.RSQRT, 0));
        unary("Reciprocal", 0.5, 3, x -> x.apply(UnaryOp.RECIPROCAL, 0));
        unary("Square", -2, 2, x -> x.apply(UnaryOp.SQUARE, 0));
        unary("Sin", -3, 3, Variable::sin);
        unary("GeluTanh", -3, 3, Variable::geluTanh);
        SPECS.put("Relu", r -> {
            int[] s = shape(r, 3);
            return new Case("relu " + Arrays.toString(s), List.of(awayFromZero(r, s, 0.1, 2)), in -> in.get(0).relu());
        });
        reduction("Sum", (x, axes, keep) -> x.sum(axes, keep));
        reduction("Mean", (x, axes, keep) -> x.mean(axes, keep));
        reduction("LogSumExp", (x, axes, keep) -> x.logSumExp(axes, keep));
        SPECS.put("Var", r -> {
            int[] s = shape(r, 3);
            s[0] = Math.max(s[0], 2); // at least two elements per output for the unbiased form
            int[] axes = new int[] {0};
            boolean keep = r.nextBoolean();
            int correction = r.nextInt(2);
            return new Case("var " + Arrays.toString(s) + " keep " + keep + " correction " + correction,
                    List.of(uniform(r, s, -2, 2)), in -> in.get(0).var(axes, correction, keep));
        });
        SPECS.put("Max", r -> {
            int[] s = shape(r, 3);
            int[] axes = randomAxes(r, s.length);
            boolean keep = r.nextBoolean();
            return new Case("max " + Arrays.toString(s) + " axes " + Arrays.toString(axes) + " keep " + keep,
                    List.of(distinct(r, s)), in -> in.get(0).max(axes, keep));
        });
        SPECS.put("Matmul", r -> {
            int m = 1 + r.nextInt(3), k = 1 + r.nextInt(3), n = 1 + r.nextInt(3), batch = 1 + r.nextInt(2);
            boolean transA = r.nextBoolean(), transB = r.nextBoolean();
            // Batch layouts: both batched, A 2-d (broadcast over B's batch), or a size-1 batch axis on A.
            int layout = r.nextInt(3);
            int[] a2 = transA ? new int[] {k, m} : new int[] {m, k};
            int[] b2 = transB ? new int[] {n, k} : new int[] {k, n};
            int[] aShape = layout == 1 ? a2 : prepend(layout == 2 ? 1 : batch, a2);
            int[] bShape = prepend(batch, b2);
            return new Case("matmul " + Arrays.toString(aShape) + (transA ? "ᵀ" : "") + " · " + Arrays.toString(bShape) + (transB ? "ᵀ" : ""),
                    List.of(uniform(r, aShape, -1, 1), uniform(r, bShape, -1, 1)), in -> in.get(0).matmul(in.get(1), transA, transB));
        });
        SPECS.put("Linear", r -> {
            int in = 1 + r.nextInt(4), out = 1 + r.nextInt(4);
            int[] lead = shape(r, 2);
            int[] xShape = insert(lead, lead.length, in);            // [..., in] with one or two leading axes
            boolean withBias = r.nextBoolean();
            List<Tensor> inputs = new ArrayList<>(List.of(uniform(r, xShape, -1, 1), uniform(r, new int[] {out, in}, -1, 1)));
            if (withBias) inputs.add(uniform(r, new int[] {out}, -1, 1));
            return new Case("linear x " + Arrays.toString(xShape) + " weight [" + out + ", " + in + "]" + (withBias ? " + bias" : ""),
                    inputs, v -> Ops.linear(v.get(0), v.get(1), withBias ? v.get(2) : null));
        });
        SPECS.put("Attention", r -> {
            int batch = 1 + r.nextInt(2), heads = 1 + r.nextInt(2), d = 1 + r.nextInt(3);
            int seqQ = 1 + r.nextInt(3), seqK = 1 + r.nextInt(3), width = heads * d;
            double[] m = new double[batch * seqK];
            for (int i = 0; i < m.length; i++) m[i] = i % seqK != 0 && r.nextInt(3) == 0 ? -1e4 : 0; // key 0 always kept
            Tensor mask = r.nextBoolean() ? Tensor.fromArray(m, batch, 1, 1, seqK) : null;
            double scale = 1 / Math.sqrt(d);
            // Half the cases drop probabilities inside the kernels (a fixed mask: the same for every evaluation of
            // the finite differences, as dropout's mask is for one step).
            AttentionDropout dropout = r.nextBoolean() ? new AttentionDropout(r.nextLong(), r.nextInt(1000), 0.3) : null;
            String dropped = dropout == null ? "" : " dropout 0.3";
            if (r.nextBoolean()) { // self-attention on a packed qkv: one input, seqQ = seqK
                Tensor selfMask = mask == null ? null : Tensor.fromArray(java.util.Arrays.copyOf(m, batch * seqK), batch, 1, 1, seqK);
                return new Case("attention packed qkv b" + batch + " h" + heads + " d" + d + " seq " + seqK + dropped,
                        List.of(uniform(r, new int[] {batch, seqK, 3 * width}, -1, 1)),
                        in -> Ops.attention(in.get(0), heads, selfMask == null ? null : selfMask.to(in.get(0).dtype()), scale,
                                dropout));
            }
            return new Case("attention b" + batch + " h" + heads + " d" + d + " " + seqQ + "x" + seqK
                    + (mask == null ? "" : " masked") + dropped,
                    List.of(uniform(r, new int[] {batch, seqQ, width}, -1, 1), uniform(r, new int[] {batch, seqK, width}, -1, 1),
                            uniform(r, new int[] {batch, seqK, width}, -1, 1)),
                    in -> Ops.attention(in.get(0), in.get(1), in.get(2), heads,
                            mask == null ? null : mask.to(in.get(0).dtype()), scale, dropout));
        });
        SPECS.put("Reshape", r -> {
            int[] s = shape(r, 3);
            int n = numel(s);
            int[] target = r.nextBoolean() ? new int[] {n} : new int[] {1, n, 1};
            return new Case("reshape " + Arrays.toString(s) + " → " + Arrays.toString(target), List.of(uniform(r, s, -2, 2)),
                    in -> in.get(0).reshape(target).mul(Variable.constant(weights(target, in.get(0).dtype()))));
        });
        SPECS.put("Permute", r -> {
            int[] s = shape(r, 4);
            int[] perm = permutation(r, s.length);
            return new Case("permute " + Arrays.toString(s) + " by " + Arrays.toString(perm), List.of(uniform(r, s, -2, 2)),
                    in -> in.get(0).permute(perm).exp());
        });
        SPECS.put("Transpose", r -> {
            int[] s = shape(r, 3);
            int a = r.nextInt(s.length), b = r.nextInt(s.length);
            return new Case("transpose " + Arrays.toString(s) + " " + a + "," + b, List.of(uniform(r, s, -2, 2)),
                    in -> in.get(0).transpose(a, b).tanh());
        });
        SPECS.put("Expand", r -> {
            int[] target = shape(r, 3);
            int[] s = broadcastOf(r, target);
            return new Case("expand " + Arrays.toString(s) + " → " + Arrays.toString(target), List.of(uniform(r, s, -2, 2)),
                    in -> in.get(0).expand(target).mul(Variable.constant(weights(target, in.get(0).dtype()))));
        });
        SPECS.put("Squeeze", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length + 1);
            int[] withOne = insert(s, axis, 1);
            return new Case("squeeze " + Arrays.toString(withOne) + " axis " + axis, List.of(uniform(r, withOne, -2, 2)),
                    in -> in.get(0).squeeze(axis).exp());
        });
        SPECS.put("Unsqueeze", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length + 1);
            return new Case("unsqueeze " + Arrays.toString(s) + " axis " + axis, List.of(uniform(r, s, -2, 2)),
                    in -> in.get(0).unsqueeze(axis).exp());
        });
        SPECS.put("Narrow", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length);
            s[axis] = Math.max(s[axis], 2);
            int start = r.nextInt(s[axis]), length = 1 + r.nextInt(s[axis] - start);
            return new Case("narrow " + Arrays.toString(s) + " axis " + axis + " [" + start + ", +" + length + ")",
                    List.of(uniform(r, s, -2, 2)), in -> in.get(0).narrow(axis, start, length).exp());
        });
        SPECS.put("Concat", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length), parts = 1 + r.nextInt(3);
            List<Tensor> inputs = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                int[] partShape = s.clone();
                partShape[axis] = 1 + r.nextInt(3);
                inputs.add(uniform(r, partShape, -2, 2));
            }
            return new Case("concat " + parts + " parts on axis " + axis, inputs, in -> Ops.concat(axis, in).exp());
        });
        SPECS.put("Stack", r -> {
            int[] s = shape(r, 2);
            int axis = r.nextInt(s.length + 1), parts = 1 + r.nextInt(3);
            List<Tensor> inputs = new ArrayList<>();
            for (int i = 0; i < parts; i++) inputs.add(uniform(r, s, -2, 2));
            return new Case("stack " + parts + " × " + Arrays.toString(s) + " on axis " + axis, inputs, in -> Ops.stack(axis, in).exp());
        });
        SPECS.put("Split", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length);
            s[axis] = 2 + r.nextInt(3);
            int first = 1 + r.nextInt(s[axis] - 1);
            return new Case("split " + Arrays.toString(s) + " axis " + axis + " at " + first, List.of(uniform(r, s, -2, 2)),
                    in -> rejoinScaled(Ops.split(in.get(0), axis, first, s[axis] - first), axis));
        });
        SPECS.put("Chunk", r -> {
            int[] s = shape(r, 3);
            int axis = r.nextInt(s.length), chunks = 1 + r.nextInt(3);
            return new Case("chunk " + Arrays.toString(s) + " axis " + axis + " into " + chunks, List.of(uniform(r, s, -2, 2)),
                    in -> rejoinScaled(Ops.chunk(in.get(0), chunks, axis), axis));
        });
        softmax("Softmax", false);
        softmax("LogSoftmax", true);
        SPECS.put("LayerNorm", r -> {
            int rows = 1 + r.nextInt(3), n = 3 + r.nextInt(4); // n = 2 is ill-conditioned in F32 (x̂ = ±1 whatever x)
            int[] s = r.nextBoolean() ? new int[] {rows, n} : new int[] {2, rows, n};
            return new Case("layerNorm " + Arrays.toString(s), List.of(uniform(r, s, -2, 2), uniform(r, new int[] {n}, 0.5, 1.5),
                    uniform(r, new int[] {n}, -1, 1)), in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5));
        });
        SPECS.put("Embedding", r -> {
            int vocab = 2 + r.nextInt(4), dim = 1 + r.nextInt(3);
            int[] idShape = {1 + r.nextInt(2), 1 + r.nextInt(3)};
            int[] ids = new int[numel(idShape)];
            for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(vocab); // repeats are likely: scatter-add must sum them
            Tensor idTensor = Tensor.fromArray(ids, idShape);
            return new Case("embedding [" + vocab + ", " + dim + "] ids " + Arrays.toString(ids), List.of(uniform(r, new int[] {vocab, dim}, -1, 1)),
                    in -> Ops.embedding(in.get(0), idTensor));
        });
        SPECS.put("Dropout", r -> {
            int[] s = shape(r, 3);
            double p = 0.3;
            Tensor mask = bits(r, s, 1 - p).mul(1 / (1 - p));
            return new Case("dropout " + Arrays.toString(s), List.of(uniform(r, s, -2, 2)),
                    in -> Ops.dropout(in.get(0), mask.to(in.get(0).dtype())));
        });
        SPECS.put("CrossEntropy", r -> {
            int n = 1 + r.nextInt(3), classes = 2 + r.nextInt(3);
            int[] targets = new int[n];
            for (int i = 0; i < n; i++) targets[i] = r.nextInt(classes);
            return new Case("crossEntropy [" + n + ", " + classes + "] targets " + Arrays.toString(targets),
                    List.of(uniform(r, new int[] {n, classes}, -3, 3)), in -> Ops.crossEntropy(in.get(0), targets));
        });
        SPECS.put("SoftCrossEntropy", r -> {
            int n = 1 + r.nextInt(3), classes = 2 + r.nextInt(3);
            Tensor probabilities = uniform(r, new int[] {n, classes}, -2, 2).softmax(-1);
            return new Case("softCrossEntropy [" + n + ", " + classes + "]", List.of(uniform(r, new int[] {n, classes}, -3, 3)),
                    in -> Ops.softCrossEntropy(in.get(0), probabilities.to(in.get(0).dtype())));
        });
    }

    // ------------------------------------------------------------------------------------------- spec builders

    private static void binary(String name, java.util.function.BinaryOperator<Variable> op, double aLo, double aHi, double bLo, double bHi) {
        SPECS.put(name, r -> {
            int[][] s = broadcastPair(r);
            return new Case(name + " " + shapes(s), List.of(uniform(r, s[0], aLo, aHi), uniform(r, s[1], bLo, bHi)),
                    in -> op.apply(in.get(0), in.get(1)));
        });
    }

    private static void unary(String name, double lo, double hi, java.util.function.UnaryOperator<Variable> op) {
        SPECS.put(name, r -> unaryCase(r, name, lo, hi, op));
    }

    private static Case unaryCase(Random r, String name, double lo, double hi, java.util.function.UnaryOperator<Variable> op) {
        int[] s = shape(r, 3);
        return new Case(name + " " + Arrays.toString(s), List.of(uniform(r, s, lo, hi)), in -> op.apply(in.get(0)));
    }

    interface Reduction {
        Variable apply(Variable x, int[] axes, boolean keepDim);
    }

    private static void reduction(String name, Reduction op) {
        SPECS.put(name, r -> {
            int[] s = shape(r, 3);
            int[] axes = randomAxes(r, s.length);
            boolean keep = r.nextBoolean();
            return new Case(name + " " + Arrays.toString(s) + " axes " + Arrays.toString(axes) + " keep " + keep,
                    List.of(uniform(r, s, -2, 2)), in -> op.apply(in.get(0), axes, keep));
        });
    }

    private static void softmax(String name, boolean log) {
        SPECS.put(name, r -> {
            int[] s = shape(r, 3);
            s[s.length - 1] = Math.max(2, s[s.length - 1]);
            // Half the cases add a mask over the last axis broadcast across rows (as attention masks are), with
            // position 0 always kept so no row is fully masked. −8 rather than −1e4: log-softmax outputs near −1e4
            // would drown the finite differences in rounding (FusedVersusComposedTest covers −1e4).
            Tensor mask = null;
            if (r.nextBoolean()) {
                int n = s[s.length - 1];
                double[] m = new double[n];
                for (int j = 1; j < n; j++) m[j] = r.nextBoolean() ? 0 : -8;
                mask = Tensor.fromArray(m, n);
            }
            Tensor finalMask = mask;
            return new Case(name + " " + Arrays.toString(s) + (mask == null ? "" : " masked"), List.of(uniform(r, s, -3, 3)),
                    in -> {
                        Tensor typed = finalMask == null ? null : finalMask.to(in.get(0).dtype());
                        return log ? Ops.logSoftmax(in.get(0), typed) : Ops.softmax(in.get(0), typed);
                    });
        });
    }

    /** Pieces scaled by 1, 2, 3, ... and joined again, so each piece's gradient is distinguishable. */
    private static Variable rejoinScaled(List<Variable> pieces, int axis) {
        List<Variable> scaled = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) scaled.add(pieces.get(i).mul(i + 1.0));
        return Ops.concat(axis, scaled);
    }

    // ------------------------------------------------------------------------------------------ random values

    /** A shape of rank 1..maxRank with sizes 1..3 (size 1 is common on purpose). */
    static int[] shape(Random r, int maxRank) {
        int[] s = new int[1 + r.nextInt(maxRank)];
        for (int i = 0; i < s.length; i++) s[i] = 1 + r.nextInt(3);
        return s;
    }

    /** A shape that broadcasts to {@code target}: some axes set to 1, sometimes leading axes dropped. */
    static int[] broadcastOf(Random r, int[] target) {
        int drop = r.nextInt(3) == 0 ? r.nextInt(target.length) : 0;
        int[] s = Arrays.copyOfRange(target, drop, target.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    /** Two shapes for a broadcasting binary op; either side may be the smaller one. */
    static int[][] broadcastPair(Random r) {
        int[] full = shape(r, 3);
        int[] small = broadcastOf(r, full);
        return r.nextBoolean() ? new int[][] {full, small} : new int[][] {small, full};
    }

    static Tensor uniform(Random r, int[] shape, double lo, double hi) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * r.nextDouble();
        return Tensor.fromArray(data, shape);
    }

    /** Values with lo ≤ |x| ≤ hi and a random sign. */
    static Tensor awayFromZero(Random r, int[] shape, double lo, double hi) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = (r.nextBoolean() ? 1 : -1) * (lo + (hi - lo) * r.nextDouble());
        return Tensor.fromArray(data, shape);
    }

    /** Multiples of 0.1 in [−2, 2] plus {@code offset}. */
    static Tensor grid(Random r, int[] shape, double offset) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = 0.1 * (r.nextInt(41) - 20) + offset;
        return Tensor.fromArray(data, shape);
    }

    /** Pairwise distinct values (0.1 apart), shuffled: a maximum is never tied. */
    static Tensor distinct(Random r, int[] shape) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = 0.1 * i - 1;
        for (int i = data.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
        return Tensor.fromArray(data, shape);
    }

    /** 1 with probability {@code pOne}, else 0. */
    static Tensor bits(Random r, int[] shape, double pOne) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = r.nextDouble() < pOne ? 1 : 0;
        return Tensor.fromArray(data, shape);
    }

    /** Fixed distinct weights 1, 2, 3, ... (so a view's gradient positions are distinguishable). */
    static Tensor weights(int[] shape, DType dtype) {
        double[] data = new double[numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = 1 + i;
        return Tensor.fromArray(data, shape).to(dtype);
    }

    static int[] randomAxes(Random r, int rank) {
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < rank; a++) if (r.nextBoolean()) axes.add(r.nextBoolean() ? a : a - rank); // negative axes too
        return axes.stream().mapToInt(Integer::intValue).toArray(); // empty = all axes
    }

    static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static int[] prepend(int size, int[] shape) {
        return insert(shape, 0, size);
    }

    static int[] insert(int[] shape, int axis, int size) {
        int[] out = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == axis ? size : shape[j++];
        return out;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    private static String shapes(int[][] s) {
        return Arrays.toString(s[0]) + ", " + Arrays.toString(s[1]);
    }
}
