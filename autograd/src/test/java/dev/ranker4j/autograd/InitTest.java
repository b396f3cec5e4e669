package dev.ranker4j.autograd;

import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {

    @Test
    void anEagerInitDrawsWhatTheSeededRandomConstructorDraws() {
        Linear viaRandom = new Linear(3, 4, true, 0.5, new SeededRandom(7), DType.F64);
        Linear viaInit = new Linear(3, 4, true, 0.5, Init.random(new SeededRandom(7)), DType.F64);
        assertArrayEquals(viaRandom.weight().value().toDoubleArray(), viaInit.weight().value().toDoubleArray());
    }

    @Test
    void aDeferredInitAllocatesNothingAndFillsOnlyWhatWasNotSet() {
        Init init = Init.deferred(new SeededRandom(7));
        Linear loaded = new Linear(3, 4, true, 0.5, init, DType.F32);
        Linear missing = new Linear(3, 4, true, 0.5, init, DType.F32);
        // Placeholders: the right shape and dtype, one shared zero behind them.
        assertArrayEquals(new int[] {4, 3}, loaded.weight().shape());
        assertEquals(1, loaded.weight().value().storage().length());
        Tensor checkpointValue = Tensor.full(0.25, DType.F32, 4, 3);
        loaded.weight().set(checkpointValue);
        loaded.bias().set(Tensor.full(1, DType.F32, 4));

        assertEquals(2, init.initializeUnset(), "the other layer's weight and bias");
        assertTrue(loaded.weight().value() == checkpointValue, "a set value is kept");
        Tensor drawn = missing.weight().value();
        assertEquals(12, drawn.storage().length());
        assertNotEquals(0.0, drawn.abs().sum().item(), "drawn from N(0, 0.25)");
        assertArrayEquals(new float[4], missing.bias().value().toFloatArray(), "a bias starts at zero");
        assertEquals(0, init.initializeUnset(), "nothing left to do");
    }
}
