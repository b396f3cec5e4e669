package dev.ranker4j.hfio.onnx;

import java.util.Map;

/**
 * An ONNX model ({@code ModelProto}): IR version, producer, operator set versions by domain ("" is the default
 * ai.onnx domain) and the main graph.
 */
public record OnnxModel(long irVersion, String producerName, Map<String, Long> opsetImports, OnnxGraph graph) {}
