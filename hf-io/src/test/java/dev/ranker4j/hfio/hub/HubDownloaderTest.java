package dev.ranker4j.hfio.hub;

import dev.ranker4j.testkit.FakeHub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HubDownloader against {@link FakeHub} on 127.0.0.1: cache layout, redirects, 404s, resume, offline mode, token. */
class HubDownloaderTest {
    private static final String REPO = "acme/tiny-bert";
    @TempDir
    Path cacheRoot;
    private FakeHub hub;
    private final byte[] config = "{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8);
    private final byte[] weights = randomBytes(300_000, 1);
    private final byte[] vocab = "[PAD]\n[UNK]\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] pooling = "{\"pooling_mode_mean_tokens\":true}".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        hub.put(REPO, "config.json", config, false);
        hub.put(REPO, "model.safetensors", weights, true);
        hub.put(REPO, "vocab.txt", vocab, false);
        hub.put(REPO, "1_Pooling/config.json", pooling, false);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private HubDownloader downloader(String token, boolean offline) {
        return new HubDownloader(new HubSettings(hub.endpoint(), cacheRoot, token, offline));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void downloadsAModelIntoTheHubCacheLayout() throws IOException {
        Path snapshot = downloader("secret", false).downloadModel(HubRepoId.parse(REPO));

        Path repoDir = cacheRoot.resolve("models--acme--tiny-bert");
        assertEquals(repoDir.resolve("snapshots").resolve(FakeHub.COMMIT), snapshot);
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir.resolve("refs/main")));
        assertArrayEquals(config, Files.readAllBytes(snapshot.resolve("config.json")));
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertArrayEquals(vocab, Files.readAllBytes(snapshot.resolve("vocab.txt")));
        assertArrayEquals(pooling, Files.readAllBytes(snapshot.resolve("1_Pooling/config.json")));
        // Optional files the repository lacks are skipped (each answered 404).
        assertFalse(Files.exists(snapshot.resolve("tokenizer.json")));
        assertFalse(Files.exists(snapshot.resolve("modules.json")));
        // Blobs are named by ETag: the SHA-256 for LFS files, the git hash (quotes and W/ stripped) for others.
        assertTrue(Files.isRegularFile(repoDir.resolve("blobs").resolve(FakeHub.sha256(weights))));
        assertTrue(Files.isRegularFile(repoDir.resolve("blobs").resolve(FakeHub.gitEtag(config))));
        assertTrue(Files.isSymbolicLink(snapshot.resolve("model.safetensors")));
        assertEquals(Path.of("../../blobs", FakeHub.sha256(weights)), Files.readSymbolicLink(snapshot.resolve("model.safetensors")));
        assertEquals(Path.of("../../../blobs", FakeHub.gitEtag(pooling)),
                Files.readSymbolicLink(snapshot.resolve("1_Pooling/config.json")));
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
        // The token goes to the Hub, never to the CDN the LFS redirect points at.
        for (FakeHub.Request request : hub.requests) {
            if (request.path().startsWith("/cdn/")) assertNull(request.authorization(), request.toString());
            else assertEquals("Bearer secret", request.authorization(), request.toString());
        }
    }

    @Test
    void aSecondDownloadOnlyAsksForMetadata() throws IOException {
        HubDownloader downloader = downloader(null, false);
        downloader.downloadModel(HubRepoId.parse(REPO));
        long getsBefore = hub.gets();
        downloader.downloadModel(HubRepoId.parse(REPO));
        assertEquals(getsBefore, hub.gets(), "cached blobs are not downloaded again");
    }

    @Test
    void resumesWithARangeRequestWhenTheConnectionDrops() throws IOException {
        String cdnPath = "/cdn/" + FakeHub.sha256(weights);
        hub.drops.put(cdnPath, new ArrayList<>(List.of(100_000, 50_000)));

        Path file = downloader(null, false).download(HubRepoId.parse(REPO), "model.safetensors").path();

        assertArrayEquals(weights, Files.readAllBytes(file));
        List<String> ranges = hub.requests.stream().filter(r -> r.path().equals(cdnPath)).map(FakeHub.Request::range).toList();
        assertEquals(List.of("none", "bytes=100000-", "bytes=150000-"),
                ranges.stream().map(r -> r == null ? "none" : r).toList());
    }

    @Test
    void resumesAnIncompleteFileLeftByAnEarlierRun() throws IOException {
        HubRepoId repo = HubRepoId.parse(REPO);
        Path part = new HubCache(cacheRoot).incomplete(repo, FakeHub.sha256(weights));
        Files.createDirectories(part.getParent());
        Files.write(part, java.util.Arrays.copyOf(weights, 123_456));

        Path file = downloader(null, false).download(repo, "model.safetensors").path();

        assertArrayEquals(weights, Files.readAllBytes(file));
        assertEquals(List.of("bytes=123456-"), hub.requests.stream().filter(r -> r.method().equals("GET"))
                .map(FakeHub.Request::range).toList());
        assertFalse(Files.exists(part));
    }

    @Test
    void aServerThatIgnoresRangeGetsTheFileRewrittenFromTheStart() throws IOException {
        hub.ignoreRange = true;
        hub.drops.put("/cdn/" + FakeHub.sha256(weights), new ArrayList<>(List.of(70_000)));
        Path file = downloader(null, false).download(HubRepoId.parse(REPO), "model.safetensors").path();
        assertArrayEquals(weights, Files.readAllBytes(file));
    }

    @Test
    void givesUpAfterRepeatedDropsAndKeepsThePartialFileForLater() throws IOException {
        String cdnPath = "/cdn/" + FakeHub.sha256(weights);
        hub.drops.put(cdnPath, new ArrayList<>(List.of(1000, 1000, 1000, 1000, 1000)));
        HubRepoId repo = HubRepoId.parse(REPO);
        HubException error = assertThrows(HubException.class, () -> downloader(null, false).download(repo, "model.safetensors"));
        assertTrue(error.getMessage().contains("stopped at 4000 of 300000 bytes"), error.getMessage());
        assertEquals(4000, Files.size(new HubCache(cacheRoot).incomplete(repo, FakeHub.sha256(weights))));
        // The next run resumes from there and finishes.
        Path file = downloader(null, false).download(repo, "model.safetensors").path();
        assertArrayEquals(weights, Files.readAllBytes(file));
    }

    @Test
    void aCorruptTransferFailsTheSha256CheckAndLeavesNoBlob() {
        hub.corruptCdnBody = randomBytes(weights.length, 2);
        HubRepoId repo = HubRepoId.parse(REPO);
        HubException error = assertThrows(HubException.class, () -> downloader(null, false).download(repo, "model.safetensors"));
        assertTrue(error.getMessage().contains("SHA-256"), error.getMessage());
        HubCache cache = new HubCache(cacheRoot);
        assertFalse(Files.exists(cache.blob(repo, FakeHub.sha256(weights))));
        assertFalse(Files.exists(cache.incomplete(repo, FakeHub.sha256(weights))));
    }

    @Test
    void missingFilesRepositoriesAndRevisionsAreNamed() {
        HubDownloader downloader = downloader(null, false);
        HubException.NotFound file = assertThrows(HubException.NotFound.class,
                () -> downloader.download(HubRepoId.parse(REPO), "nope.json"));
        assertTrue(file.getMessage().contains("EntryNotFound") && file.getMessage().contains("nope.json"), file.getMessage());
        HubException.NotFound repo = assertThrows(HubException.NotFound.class,
                () -> downloader.downloadModel(HubRepoId.parse("acme/absent")));
        assertTrue(repo.getMessage().contains("RepoNotFound") && repo.getMessage().contains("acme/absent"), repo.getMessage());
        HubException.NotFound revision = assertThrows(HubException.NotFound.class,
                () -> downloader.downloadModel(HubRepoId.parse(REPO + "@v9")));
        assertTrue(revision.getMessage().contains("RevisionNotFound"), revision.getMessage());
    }

    @Test
    void followsTheRedirectOfARenamedRepository() throws IOException {
        hub.renamed.put("acme/old-name", REPO);
        Path file = downloader(null, false).download(HubRepoId.parse("acme/old-name"), "model.safetensors").path();
        assertArrayEquals(weights, Files.readAllBytes(file));
        assertTrue(file.startsWith(cacheRoot.resolve("models--acme--old-name")));
    }

    @Test
    void downloadsEveryShardOfAShardedCheckpoint() throws IOException {
        String sharded = "acme/sharded";
        byte[] shard1 = randomBytes(5000, 3), shard2 = randomBytes(7000, 4);
        hub.put(sharded, "config.json", config, false);
        hub.put(sharded, "model.safetensors.index.json", ("{\"metadata\":{},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
                + "\"b\":\"model-00002-of-00002.safetensors\",\"c\":\"model-00001-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8), false);
        hub.put(sharded, "model-00001-of-00002.safetensors", shard1, true);
        hub.put(sharded, "model-00002-of-00002.safetensors", shard2, true);

        Path snapshot = downloader(null, false).downloadModel(HubRepoId.parse(sharded));

        assertArrayEquals(shard1, Files.readAllBytes(snapshot.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(shard2, Files.readAllBytes(snapshot.resolve("model-00002-of-00002.safetensors")));
    }

    @Test
    void offlineModeResolvesFromTheCacheWithoutAnyRequest() throws IOException {
        downloader(null, false).downloadModel(HubRepoId.parse(REPO));
        int requestsBefore = hub.requests.size();
        HubDownloader offline = downloader(null, true);

        Path snapshot = offline.downloadModel(HubRepoId.parse(REPO));
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertArrayEquals(weights, Files.readAllBytes(
                offline.download(HubRepoId.parse(REPO + "@" + FakeHub.COMMIT), "model.safetensors").path()));
        HubException missing = assertThrows(HubException.class, () -> offline.download(HubRepoId.parse(REPO), "tokenizer.json"));
        assertTrue(missing.getMessage().contains("tokenizer.json") && missing.getMessage().contains("HF_HUB_OFFLINE"),
                missing.getMessage());
        HubException noRef = assertThrows(HubException.class, () -> offline.download(HubRepoId.parse(REPO + "@dev"), "config.json"));
        assertTrue(noRef.getMessage().contains("revision 'dev'"), noRef.getMessage());
        assertEquals(requestsBefore, hub.requests.size(), "offline mode made requests");
    }

    @Test
    void settingsFollowTheHuggingFaceEnvironmentVariables() {
        HubSettings both = HubSettings.fromEnvironment(java.util.Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h",
                "HF_ENDPOINT", "http://127.0.0.1:9/", "HF_TOKEN", "t", "HF_HUB_OFFLINE", "1"));
        assertEquals(Path.of("/c"), both.cacheRoot());
        assertEquals(URI.create("http://127.0.0.1:9"), both.endpoint());
        assertEquals("t", both.token());
        assertTrue(both.offline());
        HubSettings home = HubSettings.fromEnvironment(java.util.Map.of("HF_HOME", "/h"));
        assertEquals(Path.of("/h", "hub"), home.cacheRoot());
        assertEquals(URI.create("https://huggingface.co"), home.endpoint());
        assertFalse(home.offline());
        assertNull(home.token());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache/huggingface/hub"),
                HubSettings.fromEnvironment(java.util.Map.of()).cacheRoot());
    }

    @Test
    void repoIdsParseWithOptionalRevision() {
        assertEquals(new HubRepoId("sentence-transformers/all-MiniLM-L6-v2", "main"),
                HubRepoId.parse("sentence-transformers/all-MiniLM-L6-v2"));
        assertEquals("v1.0", HubRepoId.parse("org/name@v1.0").revision());
        assertTrue(HubRepoId.parse("org/name@" + FakeHub.COMMIT).revisionIsCommit());
        assertEquals("models--bert-base-uncased", HubRepoId.parse("bert-base-uncased").cacheFolderName());
        for (String bad : List.of("a/b/c", "../x", "org/", "/name", "org/na me", "org/name@", "org/a--b")) {
            assertThrows(IllegalArgumentException.class, () -> HubRepoId.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> downloader(null, false).download(HubRepoId.parse(REPO), "../escape.json"));
    }
}
