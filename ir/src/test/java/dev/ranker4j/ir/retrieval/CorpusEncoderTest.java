package dev.ranker4j.ir.retrieval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Length-bucketed, checkpointed, resumable corpus encoding. */
class CorpusEncoderTest {
    @TempDir
    Path dir;

    private final List<String> ids = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    CorpusEncoderTest() {
        for (int i = 0; i < 23; i++) {
            ids.add("d" + i);
            texts.add("abc".repeat(1 + (i * 7) % 11) + " doc " + i);
        }
    }

    @Test
    void vectorsComeBackInInputOrderAndBatchesAreSortedByLength() {
        ToyEncoder toy = new ToyEncoder();
        List<String> seen = new ArrayList<>();
        TextEncoder recording = (batch, maxLength) -> {
            seen.addAll(batch);
            return toy.encode(batch, maxLength);
        };
        DenseVectors vectors = new CorpusEncoder(recording, 512, 4, 8, false).encode(ids, texts, null, Progress.NONE);
        assertEquals(ids, vectors.ids());
        for (int i = 0; i < ids.size(); i++) {
            assertArrayEquals(new ToyEncoder().encode(List.of(texts.get(i)), 512)[0], vectors.vector(i));
        }
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i - 1).length() >= seen.get(i).length());
        assertEquals(List.of(4, 4, 4, 4, 4, 3), toy.batchSizes); // shards of 8 cut into batches of 4: 4 4 | 4 4 | 4 3
    }

    @Test
    void normalizeGivesUnitVectorsAndFlagsThem() {
        DenseVectors vectors = new CorpusEncoder(new ToyEncoder(), 512, 5, 10, true).encode(ids, texts, null,
                Progress.NONE);
        assertTrue(vectors.normalized());
        for (int i = 0; i < vectors.size(); i++) {
            double squares = 0;
            for (float x : vectors.vector(i)) squares += x * x;
            assertEquals(1, squares, 1e-5);
        }
    }

    @Test
    void aKilledRunResumesFromItsFinishedShards() {
        Path output = dir.resolve("corpus.vec");
        DenseVectors oneShot = new CorpusEncoder(new ToyEncoder(), 512, 2, 6, false).encode(ids, texts, null,
                Progress.NONE);

        ToyEncoder killed = new ToyEncoder();
        killed.failAfterBatches = 7; // shards of 6 = 3 batches of 2: two shards finish, the third dies
        var error = assertThrows(IllegalStateException.class,
                () -> new CorpusEncoder(killed, 512, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE));
        assertEquals("killed", error.getMessage());
        Path checkpoints = CorpusEncoder.checkpointDirectory(output);
        assertTrue(Files.isRegularFile(checkpoints.resolve("shard-00000.vec")));
        assertTrue(Files.isRegularFile(checkpoints.resolve("shard-00001.vec")));
        assertFalse(Files.exists(checkpoints.resolve("shard-00002.vec")));
        assertFalse(Files.exists(output));

        ToyEncoder resumed = new ToyEncoder();
        new CorpusEncoder(resumed, 512, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE);
        assertEquals(ids.size() - 12, resumed.textsEncoded(), "only the unfinished shards are encoded again");
        assertEquals(oneShot, VectorFiles.read(output));
        assertFalse(Files.exists(checkpoints), "checkpoints are removed after success");
    }

    @Test
    void checkpointsOfAnotherRunAreRefused() {
        Path output = dir.resolve("corpus.vec");
        ToyEncoder killed = new ToyEncoder();
        killed.failAfterBatches = 4;
        assertThrows(IllegalStateException.class,
                () -> new CorpusEncoder(killed, 512, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE));
        var error = assertThrows(IllegalStateException.class, () -> new CorpusEncoder(new ToyEncoder(), 128, 2, 6,
                false).encodeToFile(ids, texts, output, Progress.NONE));
        assertTrue(error.getMessage().contains("holds 1 finished shard(s) of a different encoding run (that run: 23 texts,"
                + " max length 512"), error.getMessage());
    }

    @Test
    void anEncoderReturningTheWrongNumberOfVectorsIsReported() {
        TextEncoder broken = (batch, maxLength) -> new float[batch.size() - 1][3];
        var error = assertThrows(IllegalStateException.class,
                () -> new CorpusEncoder(broken, 16, 4, 4, false).encode(ids, texts, null, Progress.NONE));
        assertEquals("the encoder returned 3 vectors for 4 texts", error.getMessage());
    }

    @Test
    void checkpointsOfAnotherRunWithNoFinishedShardAreReplaced() throws Exception {
        Path output = dir.resolve("corpus.vec");
        ToyEncoder killed = new ToyEncoder();
        killed.failAfterBatches = 1; // killed before its first shard (3 batches of 2) was written
        assertThrows(IllegalStateException.class,
                () -> new CorpusEncoder(killed, 512, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE));
        assertTrue(java.nio.file.Files.isDirectory(CorpusEncoder.checkpointDirectory(output)));
        // Other settings: nothing finished is lost, so the stale directory is replaced rather than blocking the run.
        new CorpusEncoder(new ToyEncoder(), 128, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE);
        assertTrue(java.nio.file.Files.isRegularFile(output));
        assertFalse(java.nio.file.Files.exists(CorpusEncoder.checkpointDirectory(output)));
    }

    @Test
    void aCorruptManifestWithFinishedShardsIsExplained() throws Exception {
        Path output = dir.resolve("corpus.vec");
        ToyEncoder killed = new ToyEncoder();
        killed.failAfterBatches = 4;
        assertThrows(IllegalStateException.class,
                () -> new CorpusEncoder(killed, 512, 2, 6, false).encodeToFile(ids, texts, output, Progress.NONE));
        java.nio.file.Files.writeString(CorpusEncoder.checkpointDirectory(output).resolve("manifest.json"), "{\"finger");
        var error = assertThrows(IllegalStateException.class, () -> new CorpusEncoder(new ToyEncoder(), 512, 2, 6,
                false).encodeToFile(ids, texts, output, Progress.NONE));
        assertTrue(error.getMessage().contains("manifest.json is missing or unreadable"), error.getMessage());
    }
}
