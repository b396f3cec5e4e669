package dev.ranker4j.index;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.retrieval.DenseVectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small corpora and vector sets the index tests build. */
final class TestCorpora {
    private TestCorpora() {}

    /** A BEIR corpus.jsonl of the given documents. */
    static Path beir(Path file, Document... documents) {
        BeirFormat.writeCorpus(file, List.of(documents));
        return file;
    }

    /**
     * {@code count} vectors of {@code dimension} floats drawn around 20 random centres (clustered, like encoded
     * texts, so an approximate search has neighbourhoods to find), ids {@code d0, d1, ...}, not normalized.
     */
    static DenseVectors clustered(int count, int dimension, long seed, String prefix) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[20][dimension];
        for (float[] centre : centres) for (int j = 0; j < dimension; j++) centre[j] = (float) random.nextGaussian();
        List<String> ids = new ArrayList<>();
        float[][] rows = new float[count][dimension];
        for (int i = 0; i < count; i++) {
            float[] centre = centres[random.nextInt(centres.length)];
            for (int j = 0; j < dimension; j++) rows[i][j] = centre[j] + 0.6f * (float) random.nextGaussian();
            ids.add(prefix + i);
        }
        return DenseVectors.of(ids, rows, false);
    }
}
