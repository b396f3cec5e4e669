package dev.ranker4j.training.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.files.AtomicFiles;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsWriter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer-state sidecar of a checkpoint: everything beyond the Hugging Face model files that a resumed run needs
 * to continue bit-identically.
 * <pre>
 *   trainer_state.json          {"format": 1, "step": N, "learning_rate": lr, "dropout_generators": [{"seed", "counter"}, ...]}
 *   trainer_state.safetensors   param.&lt;name&gt;   every parameter under the trainer's names, in its training dtype
 *                               &lt;optimizer state&gt; e.g. exp_avg.&lt;name&gt;, exp_avg_sq.&lt;name&gt; (AdamW)
 * </pre>
 * Parameters are stored here as well as in the model files because the HF layout may rename them (a dual encoder's
 * shared tower is saved as a bare BertModel) or round them (nothing here is converted).
 */
public final class TrainerState {
    public static final String JSON_FILE = "trainer_state.json";
    public static final String TENSOR_FILE = "trainer_state.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainerState() {}

    static void write(Path directory, Module model, Optimizer optimizer, long step) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("format", 1).put("step", step).put("learning_rate", optimizer.learningRate());
        ArrayNode generators = root.putArray("dropout_generators");
        for (SeededRandom.State s : DropoutGenerators.states(model)) generators.addObject().put("seed", s.seed()).put("counter", s.counter());
        AtomicFiles.write(directory.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));

        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> entries.add(entry("param." + name, p.value())));
        optimizer.stateTensors().forEach((name, t) -> entries.add(entry(name, t)));
        SafetensorsWriter.write(directory.resolve(TENSOR_FILE), Map.of("format", "ranker4j-trainer-state"), entries);
    }

    private static SafetensorsWriter.Entry entry(String name, Tensor t) {
        long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
        Tensor c = t.contiguous();
        return t.dtype() == DType.F64 ? SafetensorsWriter.Entry.f64(name, shape, c.toDoubleArray())
                : SafetensorsWriter.Entry.f32(name, shape, c.toFloatArray());
    }

    /** Restores parameters, optimizer state and dropout generators; returns the step to continue from. */
    static long read(Path directory, Module model, Optimizer optimizer) throws IOException {
        Path json = directory.resolve(JSON_FILE);
        if (!Files.isRegularFile(json)) throw new IOException(directory + " is not a ranker4j checkpoint: no " + JSON_FILE);
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(json + ": not valid JSON (" + e.getOriginalMessage() + "): a damaged checkpoint; resume"
                    + " from an earlier one", e);
        }
        if (root == null || !root.isObject()) throw new IOException(json + ": must be a JSON object (a damaged checkpoint)");
        JsonNode stepNode = require(json, root, "step");
        if (!stepNode.canConvertToLong() || !stepNode.isIntegralNumber() || stepNode.longValue() < 0) {
            throw new IOException(json + ": field 'step' is " + stepNode + ", not a step number");
        }
        long step = stepNode.longValue();
        List<SeededRandom.State> states = new ArrayList<>();
        for (JsonNode g : require(json, root, "dropout_generators")) {
            states.add(new SeededRandom.State(require(json, g, "seed").asLong(), require(json, g, "counter").asLong()));
        }
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(directory.resolve(TENSOR_FILE))) {
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                String key = "param." + e.getKey();
                if (!f.contains(key)) throw new IOException(directory.resolve(TENSOR_FILE) + ": no tensor '" + key + "'");
                // The same checks as a model load: a float dtype, the model's shape, finite values.
                e.getValue().set(dev.ranker4j.transformer.bert.CheckpointWeights.read(f, key, e.getKey(), e.getValue().shape(),
                        e.getValue().dtype()));
            }
            for (String key : f.names()) {
                if (!key.startsWith("param.")) optimizerState.put(key, read(f, key, f.info(key).dtype() == dev.ranker4j.hfio.safetensors.SafetensorsDtype.F64 ? DType.F64 : DType.F32));
            }
        }
        optimizer.loadState(optimizerState, step);
        optimizer.setLearningRate(require(json, root, "learning_rate").asDouble());
        DropoutGenerators.restore(model, states);
        return step;
    }

    private static Tensor read(SafetensorsFile f, String key, DType dtype) {
        int[] shape = Arrays.stream(f.info(key).shape()).mapToInt(Math::toIntExact).toArray();
        return dtype == DType.F64 ? Tensor.fromArray(f.readF64(key), shape) : Tensor.fromArray(f.readF32(key), shape);
    }

    private static JsonNode require(Path file, JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null) throw new IOException(file + ": missing field '" + field + "'");
        return value;
    }
}
