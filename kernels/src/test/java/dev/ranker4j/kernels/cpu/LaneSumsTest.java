package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link LaneSums#sum} gives the bits of its definition, the pairwise scalar fold, on every lane count. */
class LaneSumsTest {

    @Test
    void foldingTheVectorEqualsTheScalarPairwiseSum() {
        Random random = new Random(1);
        for (var species : new jdk.incubator.vector.VectorSpecies[] {FloatVector.SPECIES_64, FloatVector.SPECIES_128,
                FloatVector.SPECIES_256, FloatVector.SPECIES_512, FloatVector.SPECIES_PREFERRED}) {
            @SuppressWarnings("unchecked")
            jdk.incubator.vector.VectorSpecies<Float> s = species;
            for (int trial = 0; trial < 2000; trial++) {
                float[] lanes = new float[s.length()];
                for (int i = 0; i < lanes.length; i++) {
                    lanes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
                }
                if (trial % 100 == 0) lanes[random.nextInt(lanes.length)] = Float.NaN;
                float expected = scalarPairwise(lanes.clone());
                float actual = LaneSums.sum(FloatVector.fromArray(s, lanes, 0));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), s + " trial " + trial);
            }
        }
    }

    /** The definition: lanes[i] += lanes[i + w] for w = lanes/2, lanes/4, …, 1; then lanes[0]. */
    private static float scalarPairwise(float[] lanes) {
        for (int width = lanes.length / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) lanes[i] += lanes[i + width];
        }
        return lanes[0];
    }
}
