package dev.ranker4j.autograd;

import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    static final class TwoLayer extends Module {
        final Linear first, second;
        final Dropout dropout;

        TwoLayer(long seed) {
            SeededRandom random = new SeededRandom(seed);
            first = registerModule("first", new Linear(3, 4, true, 0.5, random, DType.F64));
            dropout = registerModule("dropout", new Dropout(0.5, random));
            second = registerModule("second", new Linear(4, 2, false, 0.5, random, DType.F64));
        }

        Variable forward(Variable x) {
            return second.forward(dropout.forward(first.forward(x).relu()));
        }
    }

    /** A DeviceBackend that only records which arrays it was told to keep on its device and which changed. */
    private static dev.ranker4j.kernels.Backend residencyRecorder(List<Object> kept, List<Object> changed) {
        return (dev.ranker4j.kernels.Backend) java.lang.reflect.Proxy.newProxyInstance(ModuleTest.class.getClassLoader(),
                new Class<?>[] {dev.ranker4j.kernels.DeviceBackend.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "keepOnDevice" -> kept.add(args[0]);
                        case "afterHostWrite" -> changed.add(args[0]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }

    @Test
    void residencyHintsNameEveryF32ParameterArray() {
        TwoLayer model = new TwoLayer(1);
        model.to(DType.F32);
        List<Object> kept = new java.util.ArrayList<>(), changed = new java.util.ArrayList<>();
        dev.ranker4j.kernels.Backend recorder = residencyRecorder(kept, changed);
        model.keepParametersOnDevice(recorder);
        model.parametersChanged(recorder);
        List<Object> arrays = model.parameters().stream().map(p -> (Object) p.value().storage().floats()).toList();
        assertEquals(3, kept.size());
        for (int i = 0; i < 3; i++) {
            assertSame(arrays.get(i), kept.get(i));     // the arrays themselves: identity names them on the device
            assertSame(arrays.get(i), changed.get(i));
        }
        model.to(DType.F64);                            // F64 parameters are never device-resident
        kept.clear();
        model.keepParametersOnDevice(recorder);
        assertEquals(List.of(), kept);
    }

    @Test
    void parametersHaveDottedNamesInRegistrationOrder() {
        TwoLayer model = new TwoLayer(1);
        assertEquals(List.of("first.weight", "first.bias", "second.weight"), List.copyOf(model.namedParameters().keySet()));
        assertSame(model.first.weight(), model.parameters().get(0));
        assertArrayEquals(new int[] {4, 3}, model.first.weight().shape()); // [out, in] as PyTorch
        assertEquals(4 * 3 + 4 + 2 * 4, model.parameterCount());
    }

    @Test
    void trainAndEvalReachEverySubmoduleAndSwitchDropout() {
        TwoLayer model = new TwoLayer(1);
        Variable x = Variable.constant(Tensor.ones(DType.F64, 64, 3));
        model.eval();
        assertFalse(model.dropout.isTraining());
        double[] a = model.forward(x).value().toDoubleArray(), b = model.forward(x).value().toDoubleArray();
        assertArrayEquals(a, b, 0); // deterministic without dropout
        model.train();
        assertTrue(model.dropout.isTraining());
        assertNotEquals(List.of(a), List.of(model.forward(x).value().toDoubleArray()));
    }

    @Test
    void linearComputesXTimesWTransposedPlusBias() {
        TwoLayer model = new TwoLayer(2);
        Tensor w = model.first.weight().value();
        Variable x = Variable.constant(Tensor.fromArray(new double[] {1, 2, 3}, 1, 3));
        double[] y = model.first.forward(x).value().toDoubleArray();
        for (int o = 0; o < 4; o++) {
            double expected = w.get(o, 0) + 2 * w.get(o, 1) + 3 * w.get(o, 2); // bias starts at zero
            assertEquals(expected, y[o], 1e-12);
        }
    }

    /**
     * Linear with an activation: outside a graph one fused kernel, inside one the linear op and the activation op
     * (so the gradient flows); the same values both ways, and the same as composing the two by hand.
     */
    @Test
    void linearWithAnActivationIsFusedOnlyWhenNoGraphRecordsIt() {
        TwoLayer model = new TwoLayer(3);
        Variable x = Variable.constant(Tensor.fromArray(new double[] {1, -2, 3, 0.5, 2, -1}, 2, 3));
        double[] composed = model.first.forward(x).gelu().value().toDoubleArray();
        Variable recorded = model.first.forward(x, dev.ranker4j.kernels.UnaryOp.GELU_ERF);
        assertTrue(recorded.requiresGrad(), "the parameters require a gradient: the graph records the op");
        assertArrayEquals(composed, recorded.value().toDoubleArray(), 0);
        recorded.sum().backward();
        assertTrue(model.first.weight().grad() != null, "the gradient reached the weight");
        try (NoGrad ignored = NoGrad.enter()) {
            Variable fused = model.first.forward(x, dev.ranker4j.kernels.UnaryOp.GELU_ERF);
            assertFalse(fused.requiresGrad());
            assertArrayEquals(composed, fused.value().toDoubleArray(), 0);
        }
    }

    @Test
    void parameterValuesAreReplaceableOnlyWithTheSameShapeAndDtype() {
        Parameter p = new Parameter(Tensor.zeros(DType.F32, 2, 3));
        p.set(Tensor.ones(DType.F32, 2, 3));
        assertEquals(6, p.value().sum().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> p.set(Tensor.ones(DType.F32, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> p.set(Tensor.ones(DType.F64, 2, 3)));
        p.to(DType.F64);
        assertEquals(DType.F64, p.dtype());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        TwoLayer model = new TwoLayer(3);
        model.eval();
        model.forward(Variable.constant(Tensor.ones(DType.F64, 2, 3))).sum().backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
        model.zeroGrad();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() == null));
    }
}
