package dev.ranker4j.autograd;

import dev.ranker4j.autograd.ops.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every differentiable op by name, with the class that defines its gradient. Composite ops (built from others, so
 * their gradient needs no rule of its own) are listed too, because they get gradient-checked all the same.
 *
 * <p>The test suite pairs each name with a gradient-check spec (how to draw random inputs in the op's safe domain)
 * and fails when a name has none, and also when a {@link Function} subclass in {@code ops} is missing from this list:
 * an op cannot be added without its check.
 */
public final class OpRegistry {
    private OpRegistry() {}

    /** One registered op: its name and the class holding its gradient (for composites, the class composing it). */
    public record Entry(String name, Class<?> definedIn, boolean composite) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        primitive("Add", Add.class);
        primitive("Sub", Sub.class);
        primitive("Mul", Mul.class);
        primitive("Div", Div.class);
        primitive("Maximum", Maximum.class);
        primitive("Minimum", Minimum.class);
        primitive("Where", Where.class);
        primitive("AddScalar", AddScalar.class);
        primitive("MulScalar", MulScalar.class);
        primitive("PowScalar", PowScalar.class);
        primitive("Neg", Neg.class);
        primitive("Exp", Exp.class);
        primitive("Log", Log.class);
        primitive("Sqrt", Sqrt.class);
        primitive("Tanh", Tanh.class);
        primitive("Sigmoid", Sigmoid.class);
        primitive("Relu", Relu.class);
        primitive("Gelu", Gelu.class);
        primitive("GeluTanh", Gelu.class);
        primitive("Sum", Sum.class);
        primitive("Mean", Mean.class);
        primitive("Max", Max.class);
        primitive("LogSumExp", LogSumExp.class);
        primitive("Var", Var.class);
        primitive("Matmul", Matmul.class);
        primitive("Linear", Linear.class);
        primitive("Reshape", Reshape.class);
        primitive("Permute", Permute.class);
        primitive("Expand", Expand.class);
        primitive("Narrow", Narrow.class);
        primitive("Concat", Concat.class);
        primitive("Softmax", Softmax.class);
        primitive("Attention", Attention.class);
        primitive("LogSoftmax", Softmax.class);
        primitive("LayerNorm", LayerNorm.class);
        primitive("Embedding", Embedding.class);
        primitive("Dropout", Dropout.class);
        composite("Transpose", Variable.class);
        composite("Squeeze", Variable.class);
        composite("Unsqueeze", Variable.class);
        composite("Stack", Ops.class);
        composite("Split", Ops.class);
        composite("Chunk", Ops.class);
        composite("CrossEntropy", Ops.class);
        composite("SoftCrossEntropy", Ops.class);
    }

    private static void primitive(String name, Class<? extends Function> op) {
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
