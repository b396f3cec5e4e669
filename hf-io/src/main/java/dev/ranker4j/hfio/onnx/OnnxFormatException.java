package dev.ranker4j.hfio.onnx;

/** An ONNX file that is not valid protobuf, or holds a graph the importer cannot map; the message says where. */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }
}
