package dev.ranker4j.autograd;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training steps must not leak: after backward the graph (saved tensors, links to inputs) is released, so the live
 * heap after a full GC stays flat from step 20 to step 200.
 */
class MemoryTest {

    @Test
    void twoHundredSgdStepsOfATinyAttentionModelDoNotGrowTheHeap() {
        int batch = 2, seq = 5;
        TinyBert model = new TinyBert(11, 8, 16, 2, 32, 1, 3);
        model.train();
        Tensor ids = Tensor.fromArray(new int[] {1, 5, 3, 9, 2, 1, 4, 4, 0, 0}, batch, seq);
        Tensor types = Tensor.zeros(DType.I32, batch, seq);
        int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        Tensor target = Tensor.ones(DType.F32, batch, seq, 16).mul(0.1);

        long heapAtStep20 = 0;
        double firstLoss = Double.NaN, lastLoss = Double.NaN;
        for (int step = 1; step <= 200; step++) {
            Variable loss = model.forward(ids, types, mask, batch, seq).sub(Variable.constant(target)).pow(2).mean();
            model.zeroGrad();
            loss.backward();
            for (Parameter p : model.parameters()) p.value().addInPlace(p.grad(), -0.05); // plain SGD
            if (step == 1) firstLoss = loss.item();
            lastLoss = loss.item();
            if (step == 20) heapAtStep20 = usedHeapAfterGc();
        }
        long growth = usedHeapAfterGc() - heapAtStep20;
        assertTrue(growth < 4L << 20, "heap grew by " + (growth >> 10) + " KiB from step 20 to step 200");
        assertTrue(lastLoss < firstLoss, "SGD should reduce the loss: " + firstLoss + " → " + lastLoss);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a few rounds: one System.gc() may leave floating garbage
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
