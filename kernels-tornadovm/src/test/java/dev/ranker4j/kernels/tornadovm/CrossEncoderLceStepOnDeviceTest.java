package dev.ranker4j.kernels.tornadovm;

import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.on;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.training.optim.WeightDecayPolicy;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One cross-encoder training step on the TornadoVM device, against the {@code cross_encoder_lce} case of
 * ../shared/reference/training (PyTorch in float64, a 2-layer BERT of hidden 32, 8 pairs in groups of 4): in F32
 * the scores and the LCE loss within relative 1e-4, every parameter gradient and every parameter after one AdamW
 * step within 1e-4 of the tensor's largest magnitude. Gradients that are zero in exact arithmetic (the key biases;
 * the classifier bias under LCE) are rounding noise in both computations and are only required to stay below
 * 1e-5 of the case's largest gradient; Adam turns such noise into a step of at most the learning rate.
 */
class CrossEncoderLceStepOnDeviceTest {
    private static final double LEARNING_RATE = 1e-3;

    @Test
    void oneLceStepMatchesThePyTorchReference() throws IOException {
        TornadoBackend device = DeviceTestSupport.backend();
        var config = TransformerConfigJson.read(SharedData.require("reference/training/config.json"));
        try (SafetensorsFile f = SafetensorsFile.open(SharedData.require("reference/training/cross_encoder_lce.safetensors"))) {
            CrossEncoder model = CrossEncoder.fromConfig(config, 0, DType.F32);
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                e.getValue().set(read(f, e.getKey()).to(DType.F32));
            }
            BertInput pairs = new BertInput(read(f, "input.input_ids"), read(f, "input.attention_mask"),
                    read(f, "input.token_type_ids"));
            List<String> failures = new ArrayList<>();

            TransferCounts before = device.transfers();
            TransferCounts[] forwardBackward = new TransferCounts[1], step = new TransferCounts[1], adamW = new TransferCounts[1];
            on(device, () -> {
                Variable scores = model.score(pairs);
                Variable loss = new LocalizedContrastiveLoss(4).compute(scores);
                loss.backward();
                forwardBackward[0] = device.transfers().minus(before);   // the host has read nothing yet
                relative("output.scores", scores.value(), read(f, "output.scores"), failures);
                relative("output.loss", loss.value().reshape(1), read(f, "output.loss"), failures);
                Set<String> noiseOnly = compareGradients(model, f, failures);
                TransferCounts beforeAdamW = device.transfers();
                new AdamW(model.namedParameters(), LEARNING_RATE, 0.9, 0.999, 1e-8, 0.01,
                        WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT).step();
                adamW[0] = device.transfers().minus(beforeAdamW);
                for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                    Tensor reference = read(f, "after_adamw." + e.getKey());
                    if (noiseOnly.contains(e.getKey())) {
                        check("after_adamw." + e.getKey(), maxDifference(e.getValue().value(), reference),
                                2 * LEARNING_RATE, "bound 2·lr (its gradient is noise)", failures);
                    } else {
                        scaled("after_adamw." + e.getKey(), e.getValue().value(), reference, failures);
                    }
                }
                step[0] = device.transfers().minus(before);
                return null;
            });
            // Leaving the device (Backends.setCurrent) downloads every array still newer there, garbage included.
            TransferCounts switchBack = device.transfers().minus(before).minus(step[0]);
            System.out.println("cross_encoder_lce step on " + device.device() + ":\n  forward + backward: "
                    + forwardBackward[0] + "\n  AdamW update:       " + adamW[0] + "\n  whole step:         " + step[0]
                    + "\n  switching back to the previous backend: " + switchBack);
            assertTrue(step[0].kernelLaunches() > 0, "no kernel ran on the device");
            assertTrue(failures.isEmpty(), failures.size() + " tensors differ:\n  " + String.join("\n  ", failures));
            assertTransfers(model, pairs, forwardBackward[0], adamW[0], step[0]);
        }
    }

    /**
     * Forward and backward move up the weights (each at most once) and the inputs; what comes down before the host
     * reads anything are the few arrays that host loops inside tensor ops read (measured: 7 of 388 launches' outputs,
     * 100 KB; see docs/TORNADOVM.md, known limits). The AdamW update runs on the device: it moves no array either
     * way, only kernel arguments. The whole step moves down at most what this test reads besides: scores, loss,
     * gradients and updated parameters, each once.
     */
    private static void assertTransfers(CrossEncoder model, BertInput pairs, TransferCounts forwardBackward,
                                        TransferCounts adamW, TransferCounts step) {
        long header = 64, weights = 0, gradients = 0;
        for (Parameter p : model.parameters()) {
            long staged = TransferKernels.stagedFloats(p.value().numel()) * Float.BYTES + 16 * header;
            weights += staged;
            gradients += staged;
        }
        long tokens = pairs.inputIds().numel();
        // The inputs, and the small tensors the ops make on the host on the way (scalars, masks, the loss's targets:
        // measured about 30 of them), each staged in at least 4 KB.
        long inputs = 64 * (TransferKernels.stagedFloats(Math.toIntExact(tokens)) * Float.BYTES + header);
        assertTrue(forwardBackward.deviceToHostCount() <= 8 && forwardBackward.deviceToHostBytes() <= 128 * 1024,
                "forward + backward download almost nothing: " + forwardBackward);
        assertTrue(forwardBackward.hostToDeviceDataBytes() <= weights + inputs,
                "forward + backward upload weights once plus inputs (" + (weights + inputs) + "): " + forwardBackward);
        long scoresAndLoss = 2 * (TransferKernels.stagedFloats(Math.toIntExact(tokens)) * Float.BYTES + header);
        assertTrue(adamW.deviceToHostCount() == 0 && adamW.hostToDeviceDataBytes() == 0 && adamW.kernelLaunches() > 0,
                "the AdamW update runs on the device and moves no array: " + adamW);
        long readByTheTest = gradients + weights + scoresAndLoss;
        assertTrue(step.deviceToHostBytes() <= readByTheTest + forwardBackward.deviceToHostBytes(),
                "the step downloads only scores, loss, gradients and updated parameters (" + readByTheTest + "): " + step);
    }

    /** Compares every gradient; returns the parameters whose reference gradient is zero up to rounding. */
    private static Set<String> compareGradients(CrossEncoder model, SafetensorsFile f, List<String> failures) {
        double caseScale = 0;
        for (String name : model.namedParameters().keySet()) caseScale = Math.max(caseScale, maxAbs(read(f, "grad." + name)));
        Set<String> noiseOnly = new HashSet<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String name = "grad." + e.getKey();
            Tensor reference = read(f, name), ours = e.getValue().grad();
            if (ours == null) {
                failures.add(name + ": no gradient reached it");
            } else if (maxAbs(reference) < 1e-12 * caseScale) {
                noiseOnly.add(e.getKey());
                check(name, maxAbs(ours) / caseScale, 1e-5, "zero in exact arithmetic; of the case's max gradient", failures);
            } else {
                scaled(name, ours, reference, failures);
            }
        }
        return noiseOnly;
    }

    private static Tensor read(SafetensorsFile f, String name) {
        assertTrue(f.contains(name), () -> f.source() + " has no tensor '" + name + "'");
        int[] shape = Arrays.stream(f.info(name).shape()).mapToInt(Math::toIntExact).toArray();
        return switch (f.info(name).dtype()) {
            case I64 -> Tensor.fromArray(f.readI64(name), shape);
            default -> Tensor.fromArray(f.readF64(name), shape);
        };
    }

    private static double[] values(Tensor t) {
        return t.to(DType.F64).contiguous().toDoubleArray();
    }

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (double x : values(t)) max = Math.max(max, Math.abs(x));
        return max;
    }

    private static double maxDifference(Tensor ours, Tensor reference) {
        double[] a = values(ours), b = values(reference);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    /** Every element within 1e-4 of its reference value, relatively (scores, the loss). */
    private static void relative(String name, Tensor ours, Tensor reference, List<String> failures) {
        double[] a = values(ours), b = values(reference);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), Double.MIN_NORMAL));
        check(name, worst, 1e-4, "relative", failures);
    }

    /** max |ours − ref| within 1e-4 of max |ref| (gradients and updated parameters, whose elements may be ~0). */
    private static void scaled(String name, Tensor ours, Tensor reference, List<String> failures) {
        double scale = maxAbs(reference);
        check(name, maxDifference(ours, reference) / scale, 1e-4, "of max |ref|", failures);
    }

    private static void check(String name, double worst, double tolerance, String kind, List<String> failures) {
        boolean ok = worst <= tolerance;
        System.out.printf("%-7s %s: %.3e %s (tolerance %.0e)%n", ok ? "OK" : "NOT OK", name, worst, kind, tolerance);
        if (!ok) failures.add(name + ": " + worst + " > " + tolerance);
    }
}
