package dev.ranker4j.training.distill;

import java.util.Arrays;

/**
 * Which teacher layer each student layer imitates. TinyBERT's uniform mapping (Jiao et al., "TinyBERT: Distilling
 * BERT for Natural Language Understanding", Findings of EMNLP 2020, §3.1) for a student of M layers and a teacher of
 * N: student layer m ↦ teacher layer g(m) = m · N / M, with layer 0 the embedding output (g(0) = 0).
 *
 * @param teacherLayerOf entry m (0..M) is the teacher layer for student layer m
 */
public record LayerMapping(int[] teacherLayerOf) {

    public LayerMapping {
        teacherLayerOf = teacherLayerOf.clone();
        for (int i = 1; i < teacherLayerOf.length; i++) {
            if (teacherLayerOf[i] < 0) throw new IllegalArgumentException("LayerMapping: negative teacher layer in " + Arrays.toString(teacherLayerOf));
        }
    }

    /** g(m) = m·N/M; requires N divisible by M. */
    public static LayerMapping uniform(int studentLayers, int teacherLayers) {
        if (studentLayers < 1 || teacherLayers % studentLayers != 0) {
            throw new IllegalArgumentException("LayerMapping.uniform: teacher layers (" + teacherLayers
                    + ") must be a multiple of student layers (" + studentLayers + "); give an explicit mapping instead");
        }
        int[] map = new int[studentLayers + 1];
        for (int m = 0; m <= studentLayers; m++) map[m] = m * (teacherLayers / studentLayers);
        return new LayerMapping(map);
    }

    public int studentLayers() {
        return teacherLayerOf.length - 1;
    }

    public int teacherLayer(int studentLayer) {
        return teacherLayerOf[studentLayer];
    }

    @Override
    public int[] teacherLayerOf() {
        return teacherLayerOf.clone();
    }
}
