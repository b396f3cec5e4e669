package dev.ranker4j.transformer.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 against ONNX Runtime running the ONNX export shipped in the langchain4j artifact (test
 * dependency), on a padded batch of real SciFact texts (documents as title + " " + text, truncated to 128 tokens,
 * and titles alone, which are short and so padded): the last hidden
 * state of every real token agrees within 1e-4 (issue 4).
 */
class OnnxRuntimeParityTest {

    @Test
    void lastHiddenStateMatchesOnnxRuntimeOnRealTokens() throws Exception {
        Path modelDir = SharedData.require("models/all-MiniLM-L6-v2");
        Path corpus = SharedData.require("data/scifact/corpus.jsonl");
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(modelDir);
        BatchEncoding batch = tokenizer.encodeBatch(documentsAndTitles(corpus, 4), Truncation.longestFirst(128), Padding.LONGEST);
        assertTrue(batch.realLength(batch.batchSize() - 1) < batch.sequenceLength(), "the batch is padded");

        float[] ours;
        try (NoGrad ignored = NoGrad.enter()) {
            ours = BertModel.load(modelDir).forward(BertInput.of(batch)).lastHiddenState().value().toFloatArray();
        }
        float[] theirs = runOnnxRuntime(batch);
        assertEquals(theirs.length, ours.length);

        int hidden = ours.length / (batch.batchSize() * batch.sequenceLength());
        double worst = 0;
        int realTokens = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.realLength(b); t++, realTokens++) {
                int row = (b * batch.sequenceLength() + t) * hidden;
                for (int j = 0; j < hidden; j++) worst = Math.max(worst, Math.abs(ours[row + j] - theirs[row + j]));
            }
        }
        System.out.printf("ONNX Runtime parity: batch %d x %d, %d real tokens, max abs diff %.3g%n",
                batch.batchSize(), batch.sequenceLength(), realTokens, worst);
        assertTrue(worst <= 1e-4, "max abs diff " + worst + " over real tokens exceeds 1e-4");
    }

    private static float[] runOnnxRuntime(BatchEncoding batch) throws Exception {
        byte[] onnx;
        try (InputStream in = OnnxRuntimeParityTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test class path (langchain4j test dependency)");
            onnx = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(onnx, options);
                 OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(BatchEncoding.toLongs(batch.ids())), shape);
                 OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(BatchEncoding.toLongs(batch.attentionMask())), shape);
                 OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(BatchEncoding.toLongs(batch.typeIds())), shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                float[] values = new float[(int) (out.getInfo().getShape()[0] * out.getInfo().getShape()[1] * out.getInfo().getShape()[2])];
                out.getFloatBuffer().get(values);
                return values;
            }
        }
    }

    /** The first {@code count} documents (title + " " + text), then the titles of the next {@code count}. */
    static List<String> documentsAndTitles(Path corpus, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> documents = new ArrayList<>(), titles = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(corpus)) {
            for (String line = in.readLine(); line != null && titles.size() < count; line = in.readLine()) {
                JsonNode doc = json.readTree(line);
                if (documents.size() < count) documents.add(doc.path("title").asText() + " " + doc.path("text").asText());
                else titles.add(doc.path("title").asText());
            }
        }
        documents.addAll(titles);
        return documents;
    }
}
