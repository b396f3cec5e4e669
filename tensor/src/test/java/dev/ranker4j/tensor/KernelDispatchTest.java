package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.ReferenceBackend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks which kernels an op calls: views must reach GEMM and softmax without a copy kernel in between. */
class KernelDispatchTest {
    private final List<String> calls = new ArrayList<>();
    private Backend previous;

    @BeforeEach
    void recordKernelCalls() {
        previous = Backends.current();
        Backend reference = new ReferenceBackend();
        Backends.setCurrent((Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    // Kernels only: the host-access hooks (beforeHostAccess, afterHostWrite) are not dispatches.
                    if (!method.getName().endsWith("HostAccess") && !method.getName().endsWith("HostWrite")) {
                        calls.add(method.getName());
                    }
                    try {
                        return method.invoke(reference, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    @AfterEach
    void restoreBackend() {
        Backends.setCurrent(previous);
    }

    @Test
    void transposedOperandsReachGemmWithoutACopy() {
        Tensor a = Tensor.ones(DType.F32, 4, 3), b = Tensor.ones(DType.F32, 5, 3);
        calls.clear();
        a.matmul(b.transpose(0, 1));
        a.transpose(0, 1).transpose(0, 1).matmul(b.transpose(-1, -2));
        assertEquals(List.of("gemm", "gemm"), calls);
    }

    @Test
    void aLinearLayerIsOneGemmWithTheBiasInItsWriteBack() {
        Tensor x = Tensor.ones(DType.F32, 2, 5, 3), weight = Tensor.ones(DType.F32, 4, 3), bias = Tensor.ones(DType.F32, 4);
        calls.clear();
        x.linear(weight, bias);
        x.linear(weight, null);
        assertEquals(List.of("gemmBias", "gemm"), calls, "[batch, seq, in] rows are one matrix, W is read transposed");
    }

    @Test
    void attentionShapedBatchesLoopOverTheOuterAxisOnly() {
        Tensor q = Tensor.ones(DType.F32, 2, 5, 3, 4).transpose(1, 2); // [B=2, H=3, S=5, D=4] viewed out of [B, S, H, D]
        calls.clear();
        q.matmul(q.transpose(-1, -2));
        assertEquals(List.of("gemm", "gemm"), calls, "one batched call per batch item, heads batched");
        Tensor contiguous = Tensor.ones(DType.F32, 2, 3, 5, 4);
        calls.clear();
        contiguous.matmul(contiguous.transpose(-1, -2));
        assertEquals(List.of("gemm"), calls, "contiguous batch axes collapse into one call");
    }

    @Test
    void anAttentionMaskIsReadInPlace() {
        Tensor scores = Tensor.ones(DType.F32, 2, 3, 4, 4), mask = Tensor.zeros(DType.F32, 2, 1, 1, 4);
        calls.clear();
        scores.softmax(-1, mask);
        assertEquals(List.of("softmaxRows"), calls);
    }

    @Test
    void broadcastingNeedsNoCopyAndIrregularStridesCopyOnce() {
        Tensor x = Tensor.ones(DType.F64, 4, 3), bias = Tensor.ones(DType.F64, 3);
        calls.clear();
        x.add(bias);
        assertEquals(List.of("binary"), calls);
        Tensor spread = Tensor.ones(DType.F64, 4, 6).slice(1, 0, 6, 2); // neither stride is 1
        calls.clear();
        spread.matmul(Tensor.ones(DType.F64, 3, 2));
        assertEquals(List.of("copy", "gemm"), calls);
    }
}
