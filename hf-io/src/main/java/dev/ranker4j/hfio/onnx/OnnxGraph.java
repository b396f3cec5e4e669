package dev.ranker4j.hfio.onnx;

import java.util.List;
import java.util.Map;

/**
 * The computation graph ({@code GraphProto}): nodes in topological order, initializers (the weights) by name in file
 * order, and the names of the graph inputs and outputs.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs,
                        List<String> outputs) {}
