package dev.ranker4j.autograd;

import dev.ranker4j.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: a topological sort of the graph, then one walk from the output back to the leaves that
 * applies each node's chain rule. That is all of it (micrograd's {@code backward}, written without recursion so that
 * deep graphs cannot overflow the stack).
 *
 * <p>For a value v used by several ops, dL/dv is the SUM of what each use sends back (the multivariate chain rule),
 * which is why gradients are accumulated rather than assigned. A node runs only after every use of its output has
 * sent its share: reverse topological order guarantees that.
 */
final class Backprop {
    private Backprop() {}

    /** Propagates {@code seed} = dL/d(root) to every leaf that requires a gradient, adding into its {@code grad}. */
    static void run(Variable root, Tensor seed, boolean retainGraph) {
        List<Variable> order = topologicalOrder(root);
        Map<Variable, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, seed);
        for (Variable v : order.reversed()) {
            Tensor grad = pending.remove(v);          // dropped as soon as it is used: keeps peak memory low
            if (grad == null) continue;
            if (v.isLeaf() || v.retainsGrad()) v.accumulateGrad(grad);
            if (v.isLeaf()) continue;
            DifferentiableFunction node = v.creator();
            Tensor[] inputGrads = node.backwardChecked(grad);
            Variable[] inputs = node.inputs();
            for (int i = 0; i < inputs.length; i++) {
                if (inputGrads[i] == null || !inputs[i].requiresGrad()) continue;
                Tensor g = sumToShape(inputGrads[i], inputs[i].shape(), node.name());
                pending.merge(inputs[i], g, Tensor::add);
            }
            if (!retainGraph) node.release();
        }
    }

    /**
     * Every variable that requires a gradient and that {@code root} depends on, each listed after all its inputs.
     * Iterative depth-first search: a node is appended once all its inputs were.
     */
    static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        stack.push(root);
        expanded.push(false);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            boolean inputsDone = expanded.pop();
            if (inputsDone) {
                order.add(v);
                continue;
            }
            if (!visited.add(v)) continue;
            stack.push(v);
            expanded.push(true);
            if (v.isLeaf()) continue;
            for (Variable input : v.creator().inputs()) {
                if (input.requiresGrad() && !visited.contains(input)) {
                    stack.push(input);
                    expanded.push(false);
                }
            }
        }
        return order;
    }

    /**
     * Reduces a gradient of a broadcast result back to the shape of the input that was broadcast: sum over the
     * leading axes broadcasting added, and over the axes where the input had size 1 (keeping them).
     * E.g. input [3, 1], output [2, 3, 4]: sum over axes 0 and 2 → [3, 1].
     */
    static Tensor sumToShape(Tensor grad, int[] shape, String op) {
        int[] gradShape = grad.shape();
        if (Arrays.equals(gradShape, shape)) return grad;
        int lead = gradShape.length - shape.length;
        if (lead < 0) throw mismatch(op, gradShape, shape);
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < gradShape.length; a++) {
            if (a < lead) {
                axes.add(a);
            } else if (shape[a - lead] != gradShape[a]) {
                if (shape[a - lead] != 1) throw mismatch(op, gradShape, shape);
                axes.add(a);
            }
        }
        int[] axesArray = axes.stream().mapToInt(Integer::intValue).toArray();
        return grad.sum(axesArray, true).reshape(shape);
    }

    private static IllegalStateException mismatch(String op, int[] gradShape, int[] shape) {
        return new IllegalStateException(op + ".backward returned a gradient of shape " + Arrays.toString(gradShape)
                + " that does not broadcast from its input's shape " + Arrays.toString(shape));
    }
}
