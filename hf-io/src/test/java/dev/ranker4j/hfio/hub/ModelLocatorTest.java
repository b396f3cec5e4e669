package dev.ranker4j.hfio.hub;

import dev.ranker4j.testkit.FakeHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModelLocator}: directories win, repository ids go through the Hub cache, anything else is one clear error. */
class ModelLocatorTest {
    @TempDir
    Path dir;

    @Test
    void anExistingDirectoryIsUsedAsIs() throws Exception {
        Path model = Files.createDirectories(dir.resolve("acme/tiny-bert"));
        assertEquals(model, ModelLocator.locate(model.toString(), new HubSettings(null, dir.resolve("cache"), null, true)));
    }

    @Test
    void aRepositoryIdIsDownloadedThenServedFromTheCacheOffline() throws Exception {
        byte[] config = "{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8);
        try (FakeHub hub = new FakeHub()) {
            hub.put("acme/tiny-bert", "config.json", config, false);
            hub.put("acme/tiny-bert", "model.safetensors", new byte[] {1, 2, 3}, true);
            Path cache = dir.resolve("cache");
            Path snapshot = ModelLocator.locate("acme/tiny-bert@main", new HubSettings(hub.endpoint(), cache, null, false));
            assertEquals(cache.resolve("models--acme--tiny-bert/snapshots").resolve(FakeHub.COMMIT), snapshot);
            assertArrayEquals(config, Files.readAllBytes(snapshot.resolve("config.json")));
            long gets = hub.gets();
            assertEquals(snapshot, ModelLocator.locate("acme/tiny-bert", new HubSettings(hub.endpoint(), cache, null, true)));
            assertEquals(gets, hub.gets(), "offline: no request");
        }
    }

    @Test
    void unknownModelsAreOneClearMessage() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            HubSettings settings = new HubSettings(hub.endpoint(), dir.resolve("cache"), null, false);
            var missing = assertThrows(IllegalArgumentException.class, () -> ModelLocator.locate("acme/nothing", settings));
            assertTrue(missing.getMessage().startsWith("acme/nothing: not a directory, and not available from the Hub"),
                    missing.getMessage());
            var path = assertThrows(IllegalArgumentException.class,
                    () -> ModelLocator.locate(dir.resolve("runs/model").toString(), settings));
            assertTrue(path.getMessage().endsWith("no such model directory"), path.getMessage());
            Path file = Files.writeString(dir.resolve("file"), "x");
            var notDirectory = assertThrows(IllegalArgumentException.class, () -> ModelLocator.locate(file.toString(), settings));
            assertTrue(notDirectory.getMessage().endsWith("is a file, not a model directory"), notDirectory.getMessage());
        }
    }

    @Test
    void pathsAreNotRepositoryIds() {
        assertNull(ModelLocator.hubId("./model"));
        assertNull(ModelLocator.hubId("../shared/models/x"));
        assertNull(ModelLocator.hubId("runs/lce/checkpoint-3"));
        assertEquals(new HubRepoId("org/name", "v1"), ModelLocator.hubId("org/name@v1"));
    }
}
