package dev.ranker4j.hfio.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the initializers of a PyTorch-exported transformer graph back into Hugging Face parameters.
 *
 * <p>The exporter (torch.onnx, as used by optimum and Xenova's transformers.js conversions) keeps each parameter's
 * PyTorch name, except the weights of {@code nn.Linear} layers: it pre-transposes them for {@code MatMul} and names
 * them {@code onnx::MatMul_<n>}. Their names come back from the consuming node, whose name is the module path:
 * node {@code /encoder/layer.0/attention/self/query/MatMul} consumes the weight of module
 * {@code encoder.layer.0.attention.self.query}, stored as [in, out] where HF's Linear keeps [out, in].
 * {@code Gemm} nodes (classifier heads) carry their layout in {@code transB}.
 *
 * <p>Rules, per initializer:
 * <ol>
 *   <li>second input of a MatMul: named after the node's module path + ".weight", transposed;</li>
 *   <li>input B of a Gemm: likewise, transposed unless {@code transB = 1};</li>
 *   <li>a PyTorch-style name (no "::", no leading "/"): kept as is, except the non-persistent buffers
 *       {@link #NON_PERSISTENT_BUFFERS}, which HF does not save either;</li>
 *   <li>a graph constant (integer typed or a single element, e.g. a folded shape or scale): not a parameter;</li>
 *   <li>anything else is an error naming the initializer and its consumers, rather than a silently dropped weight.</li>
 * </ol>
 */
public final class OnnxWeightMapper {
    /** Buffers BERT registers with {@code persistent=False}: in the ONNX graph, absent from HF checkpoints. */
    public static final Set<String> NON_PERSISTENT_BUFFERS = Set.of("embeddings.position_ids", "embeddings.token_type_ids");

    private OnnxWeightMapper() {}

    /** The parameters of {@code graph} under their HF names, sorted by name as HF's safetensors writer orders them. */
    public static TreeMap<String, HfTensor> parameters(OnnxGraph graph) {
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            for (String input : node.inputs()) consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
        }
        TreeMap<String, HfTensor> parameters = new TreeMap<>();
        for (OnnxTensor initializer : graph.initializers().values()) {
            HfTensor mapped = map(initializer, consumers.getOrDefault(initializer.name(), List.of()));
            if (mapped == null) continue;
            HfTensor previous = parameters.put(mapped.name(), mapped);
            if (previous != null) {
                throw new OnnxFormatException("two initializers map to the HF parameter '" + mapped.name()
                        + "' (one is '" + initializer.name() + "')");
            }
        }
        return parameters;
    }

    private static HfTensor map(OnnxTensor initializer, List<OnnxNode> users) {
        String name = initializer.name();
        HfTensor asWeight = null;
        for (OnnxNode user : users) {
            HfTensor candidate = null;
            if (user.opType().equals("MatMul") && user.inputs().size() == 2 && user.inputs().get(1).equals(name)) {
                candidate = HfTensor.transposed(modulePath(user, "MatMul") + ".weight", initializer);
            } else if (user.opType().equals("Gemm") && user.inputs().size() >= 2 && user.inputs().get(1).equals(name)) {
                OnnxAttribute transB = user.attribute("transB");
                String weightName = isPytorchName(name) ? name : modulePath(user, "Gemm") + ".weight";
                candidate = transB != null && transB.i() == 1
                        ? HfTensor.kept(weightName, initializer)
                        : HfTensor.transposed(weightName, initializer);
            }
            if (candidate == null) continue;
            if (asWeight != null && !asWeight.name().equals(candidate.name())) {
                throw new OnnxFormatException("initializer '" + name + "' is the weight of two modules: '"
                        + asWeight.name() + "' and '" + candidate.name() + "' (tied weights are not supported)");
            }
            asWeight = candidate;
        }
        if (asWeight != null) return asWeight;
        if (NON_PERSISTENT_BUFFERS.contains(name)) return null;
        if (isPytorchName(name)) return HfTensor.kept(name, initializer);
        boolean graphConstant = initializer.elementCount() <= 1 || switch (initializer.dataType()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, BOOL -> true;
            default -> false;
        };
        if (graphConstant) return null;
        throw new OnnxFormatException("initializer '" + name + "' (" + initializer.dataType() + " "
                + java.util.Arrays.toString(initializer.dims()) + ") has no Hugging Face name and is not the weight of a"
                + " MatMul or Gemm; consumed by " + users.stream().map(OnnxNode::describe).toList());
    }

    /** "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query". */
    static String modulePath(OnnxNode node, String opSuffix) {
        String nodeName = node.name();
        String suffix = "/" + opSuffix;
        int cut = nodeName.lastIndexOf(suffix);
        // Exporters number repeated ops in one module ("/MatMul_1"); only the module's own first op is its Linear.
        if (!nodeName.startsWith("/") || cut <= 0 || !nodeName.substring(cut).equals(suffix)) {
            throw new OnnxFormatException("node " + node.describe() + " consumes a weight, but its name is not a module"
                    + " path of the form /module/path/" + opSuffix + ", so the weight's Hugging Face name is unknown");
        }
        return nodeName.substring(1, cut).replace('/', '.');
    }

    private static boolean isPytorchName(String name) {
        return !name.contains("::") && !name.startsWith("/") && !name.isEmpty();
    }
}
