package dev.ranker4j.hfio.onnx;

import java.util.List;
import java.util.Map;

/** One operator of the graph ({@code NodeProto}): op type, value names in and out, attributes by name. */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                      Map<String, OnnxAttribute> attributes) {

    /** Attribute {@code name}, or null. */
    public OnnxAttribute attribute(String name) {
        return attributes.get(name);
    }

    /** How the node is named in error messages: its name, else its op type and first output. */
    public String describe() {
        return name.isEmpty() ? opType + " -> " + (outputs.isEmpty() ? "?" : outputs.getFirst()) : name + " (" + opType + ")";
    }
}
