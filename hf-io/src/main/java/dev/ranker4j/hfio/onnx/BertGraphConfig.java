package dev.ranker4j.hfio.onnx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers a BertModel {@code config.json} from an exported graph: sizes from the parameter shapes, the rest from the
 * graph itself.
 * <ul>
 *   <li>{@code num_attention_heads}: attention splits [batch, seq, hidden] into heads with a Reshape to
 *       [batch, seq, heads, head_dim]; the last two entries of that shape are graph constants and
 *       heads × head_dim = hidden.</li>
 *   <li>{@code layer_norm_eps}: the {@code epsilon} attribute of LayerNormalization nodes, or, when the exporter
 *       spelled layer norm out as (x - mean) / Sqrt(var + eps), the constant added right before each Sqrt.</li>
 *   <li>{@code hidden_act}: an Erf in the feed-forward block is exact GELU ("gelu"), a Tanh is the tanh approximation
 *       ("gelu_new"); fused Gelu/FastGelu ops say so directly.</li>
 * </ul>
 * Keys PyTorch does not export (dropout rates, initializer range) get BertConfig's defaults.
 */
public final class BertGraphConfig {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    /** The parameters every BERT encoder layer has, relative to {@code encoder.layer.N.}. */
    public static final List<String> LAYER_PARAMETERS = List.of(
            "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
            "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
            "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias");
    public static final List<String> EMBEDDING_PARAMETERS = List.of(
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias");

    private BertGraphConfig() {}

    /**
     * The config.json of the BertModel whose parameters and graph these are; {@code padTokenId} comes from the
     * tokenizer. Fails, naming what is missing, when the parameters are not a complete BertModel.
     */
    public static ObjectNode infer(SortedMap<String, HfTensor> parameters, OnnxGraph graph, int padTokenId) {
        List<String> missing = new ArrayList<>();
        for (String name : EMBEDDING_PARAMETERS) if (!parameters.containsKey(name)) missing.add(name);
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : parameters.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) layers.add(Integer.parseInt(m.group(1)));
        }
        if (layers.isEmpty()) missing.add("encoder.layer.0.*");
        int layerCount = layers.isEmpty() ? 0 : layers.last() + 1;
        for (int layer = 0; layer < layerCount; layer++) {
            for (String name : LAYER_PARAMETERS) {
                String full = "encoder.layer." + layer + "." + name;
                if (!parameters.containsKey(full)) missing.add(full);
            }
        }
        if (!missing.isEmpty()) {
            throw new OnnxFormatException("not a BertModel export: missing parameters " + missing
                    + " (found " + parameters.size() + " parameters, e.g. " + parameters.keySet().stream().limit(5).toList() + ")");
        }
        long[] words = shape(parameters, "embeddings.word_embeddings.weight", 2);
        long hidden = words[1];
        long intermediate = shape(parameters, "encoder.layer.0.intermediate.dense.weight", 2)[0];
        long heads = attentionHeads(graph, hidden);
        boolean allF32 = parameters.values().stream().allMatch(t -> t.dataType() == OnnxDataType.FLOAT);

        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putArray("architectures").add("BertModel");
        config.put("model_type", "bert");
        config.put("vocab_size", words[0]);
        config.put("hidden_size", hidden);
        config.put("num_hidden_layers", layerCount);
        config.put("num_attention_heads", heads);
        config.put("intermediate_size", intermediate);
        config.put("hidden_act", activation(graph));
        config.put("hidden_dropout_prob", 0.1);
        config.put("attention_probs_dropout_prob", 0.1);
        config.put("max_position_embeddings", shape(parameters, "embeddings.position_embeddings.weight", 2)[0]);
        config.put("type_vocab_size", shape(parameters, "embeddings.token_type_embeddings.weight", 2)[0]);
        config.put("initializer_range", 0.02);
        config.put("layer_norm_eps", layerNormEpsilon(graph));
        config.put("pad_token_id", padTokenId);
        config.put("position_embedding_type", "absolute");
        config.put("torch_dtype", allF32 ? "float32" : "float16");
        return config;
    }

    private static long[] shape(SortedMap<String, HfTensor> parameters, String name, int rank) {
        long[] shape = parameters.get(name).shape();
        if (shape.length != rank) {
            throw new OnnxFormatException("parameter '" + name + "' has shape " + Arrays.toString(shape) + ", expected rank " + rank);
        }
        return shape;
    }

    /** Heads from the Reshape nodes that split the hidden vector into [heads, head_dim]. */
    static long attentionHeads(OnnxGraph graph, long hidden) {
        Map<String, OnnxNode> producers = producers(graph);
        TreeSet<Long> found = new TreeSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("Reshape") || node.inputs().size() < 2) continue;
            long[] shape = constantShape(node.inputs().get(1), graph, producers);
            if (shape == null || shape.length != 4) continue;
            long heads = shape[2], headDim = shape[3];
            if (heads > 0 && headDim > 0 && heads * headDim == hidden) found.add(heads);
        }
        if (found.size() != 1) {
            throw new OnnxFormatException(found.isEmpty()
                    ? "cannot find num_attention_heads: no Reshape node splits the hidden size " + hidden
                      + " into [batch, seq, heads, head_dim] with constant heads and head_dim"
                    : "ambiguous num_attention_heads: Reshape nodes split the hidden size into " + found + " heads");
        }
        return found.first();
    }

    /**
     * The target shape of a Reshape as far as it is constant: a Constant or initializer, or a Concat of pieces of
     * which the unknown ones (batch and sequence length, computed from Shape at run time) become -1.
     */
    private static long[] constantShape(String value, OnnxGraph graph, Map<String, OnnxNode> producers) {
        OnnxTensor constant = constant(value, graph, producers);
        if (constant != null) return isInteger(constant) ? constant.longs() : null;
        OnnxNode producer = producers.get(value);
        if (producer == null || !producer.opType().equals("Concat")) return null;
        long[] shape = new long[producer.inputs().size()];
        for (int i = 0; i < shape.length; i++) {
            OnnxTensor piece = constant(producer.inputs().get(i), graph, producers);
            shape[i] = piece != null && isInteger(piece) && piece.elementCount() == 1 ? piece.longs()[0] : -1;
        }
        return shape;
    }

    /** The epsilon every layer norm uses; fails when layer norms disagree or none is found. */
    static double layerNormEpsilon(OnnxGraph graph) {
        Map<String, OnnxNode> producers = producers(graph);
        TreeSet<Float> found = new TreeSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (node.opType().equals("LayerNormalization")) {
                OnnxAttribute epsilon = node.attribute("epsilon");
                found.add(epsilon == null ? 1e-5f : epsilon.f()); // the ONNX default
            } else if (node.opType().equals("Sqrt")) {
                OnnxNode add = producers.get(node.inputs().getFirst());
                if (add == null || !add.opType().equals("Add")) continue;
                for (String input : add.inputs()) {
                    OnnxTensor constant = constant(input, graph, producers);
                    if (constant != null && constant.elementCount() == 1) found.add((float) constant.scalar());
                }
            }
        }
        if (found.size() != 1) {
            throw new OnnxFormatException(found.isEmpty()
                    ? "cannot find layer_norm_eps: no LayerNormalization node and no Sqrt(variance + epsilon) pattern"
                    : "layer norms use different epsilons " + found);
        }
        // The graph holds a float32; its shortest decimal (1e-12f -> "1.0E-12") is the value the config was written with.
        return Double.parseDouble(Float.toString(found.first()));
    }

    /** hidden_act from the feed-forward activation ops (the pooler's Tanh is not one of them). */
    static String activation(OnnxGraph graph) {
        TreeSet<String> found = new TreeSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (node.name().contains("/pooler/") || node.name().contains("/attention/")) continue;
            switch (node.opType()) {
                case "Erf", "BiasGelu" -> found.add("gelu");
                case "Tanh", "FastGelu" -> found.add("gelu_new");
                case "Gelu" -> {
                    OnnxAttribute approximate = node.attribute("approximate");
                    found.add(approximate != null && "tanh".equals(approximate.s()) ? "gelu_new" : "gelu");
                }
                case "Relu" -> found.add("relu");
                default -> { }
            }
        }
        if (found.size() != 1) {
            throw new OnnxFormatException(found.isEmpty()
                    ? "cannot tell the feed-forward activation: no Erf, Tanh, Gelu, FastGelu or Relu node outside attention and pooler"
                    : "several feed-forward activations in one graph: " + found);
        }
        return found.first();
    }

    static Map<String, OnnxNode> producers(OnnxGraph graph) {
        Map<String, OnnxNode> producers = new HashMap<>();
        for (OnnxNode node : graph.nodes()) for (String output : node.outputs()) producers.put(output, node);
        return producers;
    }

    /** The value named {@code value} when it is an initializer or a Constant node's tensor, else null. */
    static OnnxTensor constant(String value, OnnxGraph graph, Map<String, OnnxNode> producers) {
        OnnxTensor initializer = graph.initializers().get(value);
        if (initializer != null) return initializer;
        OnnxNode producer = producers.get(value);
        if (producer == null || !producer.opType().equals("Constant")) return null;
        OnnxAttribute tensor = producer.attribute("value");
        return tensor == null ? null : tensor.t();
    }

    private static boolean isInteger(OnnxTensor tensor) {
        return tensor.dataType() == OnnxDataType.INT64 || tensor.dataType() == OnnxDataType.INT32;
    }
}
