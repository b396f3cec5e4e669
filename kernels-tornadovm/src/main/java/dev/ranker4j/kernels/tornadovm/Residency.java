package dev.ranker4j.kernels.tornadovm;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The host arrays the caller declared device-resident (model weights): kernels reading one of them keep its device
 * copy across calls instead of uploading it each time. Identity, not equality, names an array: two weights with the
 * same values are still two buffers.
 */
final class Residency {
    private final Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());

    synchronized void add(float[] array) {
        arrays.add(array);
    }

    synchronized boolean remove(float[] array) {
        return arrays.remove(array);
    }

    synchronized boolean contains(float[] array) {
        return array != null && arrays.contains(array);
    }
}
