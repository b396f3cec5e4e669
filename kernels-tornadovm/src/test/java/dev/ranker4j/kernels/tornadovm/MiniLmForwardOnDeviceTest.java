package dev.ranker4j.kernels.tornadovm;

import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.on;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.kernels.cpu.CpuBackend;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.tokenizer.BatchEncoding;
import dev.ranker4j.transformer.tokenizer.Encoding;
import dev.ranker4j.transformer.tokenizer.Padding;
import dev.ranker4j.transformer.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole all-MiniLM-L6-v2 forward on the TornadoVM device equals the CPU backend's within 1e-4 (max abs over the
 * real tokens of a padded batch of real sentences), with the weights sent every call and with them resident; and
 * resident weights cut what a forward uploads by at least the bytes of the weights that stay on the device.
 */
class MiniLmForwardOnDeviceTest {
    private static final List<String> TEXTS = List.of(
            "What is Deep Learning?",
            "Deep Learning is a subfield of machine learning that uses neural networks with many layers.",
            "Caffeine increases alertness.");

    @Test
    void forwardMatchesCpuAndResidentWeightsCutUploads() throws IOException {
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
            expected = lastHiddenState(cpu, model, input);
        }

        TransferCounts start = device.transfers();
        float[] sent = lastHiddenState(device, model, input);          // weights travel with every call
        TransferCounts afterSent = device.transfers();
        model.keepParametersOnDevice(device);
        float[] firstResident = lastHiddenState(device, model, input); // uploads the resident weights once
        TransferCounts afterFirstResident = device.transfers();
        float[] resident = lastHiddenState(device, model, input);      // only activations cross
        TransferCounts perForwardSent = afterSent.minus(start);
        TransferCounts perForwardResident = device.transfers().minus(afterFirstResident);
        System.out.println("MiniLM forward " + batch.batchSize() + " x " + batch.sequenceLength() + " on " + device.device()
                + "\n  weights sent every call: " + perForwardSent
                + "\n  first resident call:     " + afterFirstResident.minus(afterSent)
                + "\n  weights resident:        " + perForwardResident);

        int hidden = model.config().hiddenSize();
        assertMatchesOverRealTokens("weights sent", expected, sent, batch, hidden);
        assertMatchesOverRealTokens("first resident forward", expected, firstResident, batch, hidden);
        assertMatchesOverRealTokens("weights resident", expected, resident, batch, hidden);

        long residentBytes = residentWeightBytes(model);
        long saved = perForwardSent.hostToDeviceBytes() - perForwardResident.hostToDeviceBytes();
        assertTrue(saved >= residentBytes, "resident weights saved " + saved + " bytes per forward, expected at least "
                + residentBytes + " (the GEMM weights outside Q/K/V and the embedding tables)");
        assertTrue(perForwardResident.kernelLaunches() == perForwardSent.kernelLaunches(),
                "the same kernels run either way: " + perForwardResident + " vs " + perForwardSent);
    }

    private static float[] lastHiddenState(Backend backend, BertModel model, BertInput input) {
        return on(backend, () -> {
            try (NoGrad ignored = NoGrad.enter()) {
                return model.forward(input).lastHiddenState().value().contiguous().toFloatArray();
            }
        });
    }

    /**
     * The weights a resident forward no longer uploads: the embedding tables (gathered by the device) and every
     * dense weight matrix except the attention's query/key/value, which the forward concatenates into a new array
     * on each call (one GEMM for all three), so that array is always fresh.
     */
    private static long residentWeightBytes(BertModel model) {
        long bytes = 0;
        for (var entry : model.namedParameters().entrySet()) {
            String name = entry.getKey();
            boolean matrix = entry.getValue().value().rank() == 2;
            if (matrix && !name.contains("attention.self.")) bytes += 4L * entry.getValue().value().numel();
        }
        return bytes;
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
