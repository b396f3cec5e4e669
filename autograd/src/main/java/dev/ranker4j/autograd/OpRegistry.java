package dev.ranker4j.autograd;

import dev.ranker4j.autograd.ops.*;
import dev.ranker4j.kernels.UnaryOp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every differentiable op by name, with the class that defines its gradient. Composite ops (built from others, so
 * their gradient needs no rule of its own) are listed too, because they get gradient-checked all the same.
 *
 * <p>The test suite pairs each name with a gradient-check spec (how to draw random inputs in the op's safe domain)
 * and fails when a name has none, and also when a {@link DifferentiableFunction} subclass in {@code ops} is missing from this list:
 * an op cannot be added without its check.
 */
public final class OpRegistry {
    private OpRegistry() {}

    /** One registered op: its name and the class holding its gradient (for composites, the class composing it). */
    public record Entry(String name, Class<?> definedIn, boolean composite) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        primitive("Add", ElementwiseFns.AddFn.class);
        primitive("Sub", ElementwiseFns.SubFn.class);
        primitive("Mul", ElementwiseFns.MulFn.class);
        primitive("Div", ElementwiseFns.DivFn.class);
        primitive("Maximum", ElementwiseFns.MaximumFn.class);
        primitive("Minimum", ElementwiseFns.MinimumFn.class);
        primitive("Where", ElementwiseFns.WhereFn.class);
        // Every unary op with a rule in UnaryOp's derivative table, under its display name ("Tanh", "GeluErf"):
        // adding an op there registers it here, and the registry test then asks for its gradient-check spec.
        for (UnaryOp op : UnaryOp.values()) {
            if (op.hasDerivative()) primitive(op.displayName(), ElementwiseFns.UnaryFn.class);
        }
        primitive("Sum", SumFn.class);
        primitive("Mean", MeanFn.class);
        primitive("Max", MaxFn.class);
        primitive("LogSumExp", LogSumExpFn.class);
        primitive("Var", VarFn.class);
        primitive("Matmul", MatmulFn.class);
        primitive("Linear", LinearFn.class);
        primitive("Reshape", ReshapeFn.class);
        primitive("Permute", PermuteFn.class);
        primitive("Expand", ExpandFn.class);
        primitive("Narrow", NarrowFn.class);
        primitive("Concat", ConcatFn.class);
        primitive("Softmax", SoftmaxFn.class);
        primitive("Attention", AttentionFn.class);
        primitive("LogSoftmax", SoftmaxFn.class);
        primitive("LayerNorm", LayerNormFn.class);
        primitive("Embedding", EmbeddingFn.class);
        primitive("Dropout", DropoutFn.class);
        composite("Transpose", Variable.class);
        composite("Squeeze", Variable.class);
        composite("Unsqueeze", Variable.class);
        composite("Stack", Ops.class);
        composite("Split", Ops.class);
        composite("Chunk", Ops.class);
        composite("CrossEntropy", Ops.class);
        composite("SoftCrossEntropy", Ops.class);
    }

    private static void primitive(String name, Class<? extends DifferentiableFunction> op) {
        ENTRIES.put(name, new Entry(name, op, false));
    }

    private static void composite(String name, Class<?> composedIn) {
        ENTRIES.put(name, new Entry(name, composedIn, true));
    }

    /** Every registered op, in a stable order. */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    /** The names of every registered op. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }
}
