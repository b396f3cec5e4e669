package dev.ranker4j.kernels.tornadovm;

import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.kernels.cpu.CpuBackend;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole all-MiniLM-L6-v2 forward on the TornadoVM device equals the CPU backend's within 1e-4 (max abs over the
 * real tokens of a padded batch of real sentences), and only what must cross the bus does: the first forward
 * uploads the weights (each at most once) and the inputs, later forwards only the inputs, and the one download is
 * the result the host reads.
 */
class MiniLmForwardOnDeviceTest {
    private static final List<String> TEXTS = List.of(
            "What is Deep Learning?",
            "Deep Learning is a subfield of machine learning that uses neural networks with many layers.",
            "Caffeine increases alertness.");
    /** Per copy, what TornadoVM's array header adds to the staged data (generous). */
    private static final long HEADER_BYTES = 64;

    @Test
    void forwardMatchesCpuAndOnlyInputsWeightsAndTheResultCross() throws IOException {
        TornadoBackend device = DeviceTestSupport.backend();
        Path directory = SharedData.require("models/all-MiniLM-L6-v2");
        BertModel model = BertModel.load(directory);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(directory);
        List<Encoding> encodings = new ArrayList<>();
        for (String text : TEXTS) encodings.add(tokenizer.encode(text));
        BatchEncoding batch = tokenizer.pad(encodings, Padding.LONGEST);
        BertInput input = BertInput.of(batch);

        float[] expected;
        try (CpuBackend cpu = new CpuBackend(2)) {
            expected = on(cpu, () -> lastHiddenState(model, input));
        }
        // Counts are read while the device is current: switching back makes it hand every array to the host.
        List<Object> runs = on(device, () -> {
            TransferCounts start = device.transfers();
            float[] first = lastHiddenState(model, input);
            TransferCounts afterFirst = device.transfers();
            float[] second = lastHiddenState(model, input);
            return List.of(first, second, afterFirst.minus(start), device.transfers().minus(afterFirst));
        });
        float[] first = (float[]) runs.get(0), second = (float[]) runs.get(1);
        TransferCounts firstForward = (TransferCounts) runs.get(2), laterForward = (TransferCounts) runs.get(3);
        System.out.println("MiniLM forward " + batch.batchSize() + " x " + batch.sequenceLength() + " on " + device.device()
                + "\n  first forward: " + firstForward + "\n  later forward: " + laterForward
                + "\n  device memory: " + device.memoryUse());

        int hidden = model.config().hiddenSize();
        assertMatchesOverRealTokens("first forward", expected, first, batch, hidden);
        assertMatchesOverRealTokens("later forward", expected, second, batch, hidden);

        // Down: the last hidden state the host reads, once, and nothing else.
        long resultBytes = TransferKernels.stagedFloats(expected.length) * Float.BYTES + HEADER_BYTES;
        for (TransferCounts forward : List.of(firstForward, laterForward)) {
            assertEquals(1, forward.deviceToHostCount(), "one download per forward: " + forward);
            assertTrue(forward.deviceToHostBytes() <= resultBytes, "only the result came down: " + forward);
        }
        // Up, later forwards: the inputs (ids, mask), no weight. Each input is a few hundred values at most.
        long inputBytes = 16 * (TransferKernels.stagedFloats(batch.batchSize() * batch.sequenceLength()) * Float.BYTES
                + HEADER_BYTES);
        assertTrue(laterForward.hostToDeviceDataBytes() <= inputBytes,
                "a later forward uploads only inputs, at most " + inputBytes + " bytes: " + laterForward);
        // Up, first forward: additionally every weight, at most once.
        long weightBytes = 0;
        for (var parameter : model.parameters()) {
            weightBytes += TransferKernels.stagedFloats(parameter.value().numel()) * Float.BYTES + 16 * HEADER_BYTES;
        }
        assertTrue(firstForward.hostToDeviceDataBytes() <= weightBytes + inputBytes,
                "the first forward uploads each weight at most once (" + weightBytes + " bytes staged) plus inputs: "
                        + firstForward);
        assertTrue(firstForward.hostToDeviceDataBytes() - laterForward.hostToDeviceDataBytes() >= weightBytes / 2,
                "the weights went up in the first forward only: " + firstForward + " vs " + laterForward);
    }

    private static float[] lastHiddenState(BertModel model, BertInput input) {
        try (NoGrad ignored = NoGrad.enter()) {
            return model.forward(input).lastHiddenState().value().contiguous().toFloatArray();
        }
    }

    /** max |device − cpu| ≤ 1e-4 over the positions whose attention mask is 1. */
    private static void assertMatchesOverRealTokens(String what, float[] expected, float[] actual, BatchEncoding batch,
                                                    int hidden) {
        double worst = 0;
        int realTokens = 0;
        for (int position = 0; position < batch.batchSize() * batch.sequenceLength(); position++) {
            if (batch.attentionMask()[position] == 0) continue;
            realTokens++;
            for (int j = 0; j < hidden; j++) {
                int i = position * hidden + j;
                worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]));
            }
        }
        System.out.printf("  %s: max |device - cpu| = %.3e over %d real tokens%n", what, worst, realTokens);
        double reported = worst;
        assertTrue(worst <= 1e-4, () -> what + ": max abs difference " + reported + " > 1e-4");
    }
}
