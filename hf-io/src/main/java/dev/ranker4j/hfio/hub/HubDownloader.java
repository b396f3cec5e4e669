package dev.ranker4j.hfio.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Downloads files of Hub repositories into the shared {@link HubCache}, the way {@code huggingface_hub} does.
 *
 * <p>One file takes two requests to {@code {endpoint}/{repo}/resolve/{revision}/{file}}:
 * <ol>
 *   <li>HEAD, redirects not followed: the Hub answers with the commit the revision points to ({@code X-Repo-Commit}),
 *       the file's ETag ({@code X-Linked-Etag} for LFS files, whose 302 leads to a CDN, else {@code ETag}) and size
 *       ({@code X-Linked-Size}, else {@code Content-Length}). A relative redirect (a renamed repository) is followed
 *       until those headers arrive.</li>
 *   <li>GET of the content into {@code blobs/<etag>.incomplete}, unless {@code blobs/<etag>} is already there. A partial
 *       file left by a dropped connection (this run or an earlier one) is resumed with {@code Range: bytes=N-}.
 *       The result must have the announced size, and LFS files (whose ETag is their SHA-256) must hash to it, before
 *       it is renamed to {@code blobs/<etag>} and linked from {@code snapshots/<commit>/<file>}.</li>
 * </ol>
 * The token goes only to the endpoint's host, never to a CDN a redirect points at. In offline mode no request is
 * made and files resolve from the cache alone.
 */
public final class HubDownloader {
    /** Attempts per file when the connection drops mid-download; each one resumes where the last stopped. */
    public static final int MAX_ATTEMPTS = 4;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Files a model directory may have besides its weights; the Hub answers 404 for those a repository lacks. */
    public static final List<String> OPTIONAL_MODEL_FILES = List.of("tokenizer.json", "vocab.txt",
            "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
            "1_Pooling/config.json");

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient http;

    public HubDownloader(HubSettings settings) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheRoot());
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // by hand, to keep the token off other hosts
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    public HubCache cache() {
        return cache;
    }

    /** A file in the cache's snapshot of a commit. */
    public record ResolvedFile(String commit, Path path) {}

    /** What the HEAD request said about a file. {@code size} is -1 when the server did not say. */
    record Metadata(String commit, String etag, long size, boolean etagIsSha256, URI content) {}

    /**
     * Downloads a model directory's standard files at one commit and returns the snapshot directory: config.json,
     * the weights (model.safetensors, else the sharded index and every shard it names) and whichever of
     * {@link #OPTIONAL_MODEL_FILES} the repository has.
     */
    public Path downloadModel(HubRepoId repo) throws IOException {
        ResolvedFile config = download(repo, "config.json");
        HubRepoId pinned = repo.at(config.commit()); // every other file from the same commit
        if (fetchIfPresent(pinned, "model.safetensors").isEmpty()) {
            Path index = fetchIfPresent(pinned, "model.safetensors.index.json").orElseThrow(() -> new HubException.NotFound(
                    repo + " has neither model.safetensors nor model.safetensors.index.json (ranker4j reads safetensors"
                            + " weights only)"));
            for (String shard : shardNames(index)) download(pinned, shard);
        }
        for (String file : OPTIONAL_MODEL_FILES) fetchIfPresent(pinned, file);
        return cache.snapshotDir(repo, config.commit());
    }

    /** The shard file names of a {@code model.safetensors.index.json}'s {@code weight_map}. */
    static TreeSet<String> shardNames(Path index) throws IOException {
        JsonNode weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) throw new HubException(index + ": no weight_map");
        TreeSet<String> shards = new TreeSet<>();
        weightMap.forEach(file -> shards.add(file.asText()));
        return shards;
    }

    /** Like {@link #download} but empty when the repository has no such file (or, offline, the cache lacks it). */
    public Optional<Path> fetchIfPresent(HubRepoId repo, String file) throws IOException {
        if (settings.offline()) {
            Optional<String> commit = cache.commitOf(repo);
            Path cached = commit.map(c -> cache.snapshotFile(repo, c, file)).orElse(null);
            return cached != null && Files.exists(cached) ? Optional.of(cached) : Optional.empty();
        }
        try {
            return Optional.of(download(repo, file).path());
        } catch (HubException.NotFound absent) {
            return Optional.empty();
        }
    }

    /** Resolves {@code file} of {@code repo} to its path in the cache, downloading it unless it is there already. */
    public ResolvedFile download(HubRepoId repo, String file) throws IOException {
        checkFileName(file);
        if (settings.offline()) return fromCache(repo, file);
        Metadata metadata = head(repo, file);
        Path blob = cache.blob(repo, metadata.etag());
        if (!Files.isRegularFile(blob) || (metadata.size() >= 0 && Files.size(blob) != metadata.size())) {
            fetch(repo, file, metadata, blob);
        }
        cache.writeRef(repo, metadata.commit());
        return new ResolvedFile(metadata.commit(), cache.linkSnapshot(repo, metadata.commit(), file, blob));
    }

    private ResolvedFile fromCache(HubRepoId repo, String file) throws IOException {
        String commit = cache.commitOf(repo).orElseThrow(() -> new HubException("offline (HF_HUB_OFFLINE=1) and the"
                + " cache " + cache.repoDir(repo) + " has no ref for revision '" + repo.revision() + "' of " + repo.repo()
                + "; cannot resolve " + file));
        Path path = cache.snapshotFile(repo, commit, file);
        if (!Files.exists(path)) {
            throw new HubException("offline (HF_HUB_OFFLINE=1) and " + file + " of " + repo + " is not in the cache: "
                    + path + " is missing");
        }
        return new ResolvedFile(commit, path);
    }

    Metadata head(HubRepoId repo, String file) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/" + repo.repo() + "/resolve/" + encode(repo.revision()) + "/"
                + encodePath(file));
        String commit = null, etag = null;
        long size = -1;
        boolean linked = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity").build(), HttpResponse.BodyHandlers.discarding(), repo, file);
            HttpHeaders headers = response.headers();
            // The Hub's own response carries these; a CDN further down the redirect chain has different ETags.
            if (commit == null) commit = headers.firstValue("X-Repo-Commit").orElse(null);
            if (etag == null) {
                Optional<String> linkedEtag = headers.firstValue("X-Linked-Etag");
                linked = linkedEtag.isPresent();
                etag = linkedEtag.or(() -> headers.firstValue("ETag")).orElse(null);
            }
            if (size < 0) size = headers.firstValueAsLong("X-Linked-Size").orElse(-1);
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                URI next = uri.resolve(headers.firstValue("Location").orElseThrow(() -> new HubException(
                        "redirect without Location for " + file + " of " + repo)));
                if (commit != null && etag != null) return metadata(repo, file, commit, etag, size, linked, next);
                uri = next;
                continue;
            }
            if (size < 0) size = headers.firstValueAsLong("Content-Length").orElse(-1);
            return metadata(repo, file, commit, etag, size, linked, uri);
        }
        throw new HubException("more than " + MAX_REDIRECTS + " redirects resolving " + file + " of " + repo);
    }

    private Metadata metadata(HubRepoId repo, String file, String commit, String etag, long size, boolean linked, URI content)
            throws HubException {
        if (commit == null || etag == null) {
            throw new HubException("the server sent no " + (commit == null ? "X-Repo-Commit" : "ETag") + " header for "
                    + file + " of " + repo + " (is " + settings.endpoint() + " a Hugging Face Hub?)");
        }
        String cleanEtag = etag.replaceFirst("^W/", "").replace("\"", "");
        if (!SAFE_ETAG.matcher(cleanEtag).matches()) {
            throw new HubException("unusable ETag '" + etag + "' for " + file + " of " + repo);
        }
        return new Metadata(commit, cleanEtag, size, linked && SHA256.matcher(cleanEtag).matches(), content);
    }

    /** GETs the content into the blob's .incomplete file, resuming after dropped connections, then verifies it. */
    private void fetch(HubRepoId repo, String file, Metadata metadata, Path blob) throws IOException {
        Path part = cache.incomplete(repo, metadata.etag());
        Files.createDirectories(part.getParent());
        long expected = metadata.size();
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (expected >= 0 && have > expected) {
                Files.delete(part);
                have = 0;
            }
            if (expected >= 0 && have == expected) break;
            try {
                long total = getInto(metadata.content(), part, have, repo, file);
                if (expected < 0) expected = total;
                if (expected < 0 || Files.size(part) == expected) break;
                lastFailure = new IOException("connection ended after " + Files.size(part) + " of " + expected + " bytes");
            } catch (HubException fatal) {
                throw fatal;
            } catch (IOException dropped) {
                lastFailure = dropped;
            }
        }
        long got = Files.exists(part) ? Files.size(part) : 0;
        if (expected >= 0 && got != expected) {
            throw new HubException("download of " + file + " of " + repo + " stopped at " + got + " of " + expected
                    + " bytes after " + MAX_ATTEMPTS + " attempts; run again to resume from " + part, lastFailure);
        }
        if (metadata.etagIsSha256()) verifySha256(part, metadata.etag(), repo, file);
        HubCache.moveAtomically(part, blob);
    }

    /**
     * One GET appended to {@code part} from byte {@code have}; returns the full size the server announced (-1 if none).
     * A server that ignores the Range header (200 instead of 206) gets the file rewritten from the start.
     */
    private long getInto(URI uri, Path part, long have, HubRepoId repo, String file) throws IOException {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder get = request(uri).GET();
            if (have > 0) get.header("Range", "bytes=" + have + "-");
            HttpResponse<InputStream> response = send(get.build(), HttpResponse.BodyHandlers.ofInputStream(), repo, file);
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 300 && status < 400) {
                    uri = uri.resolve(response.headers().firstValue("Location").orElseThrow(() -> new HubException(
                            "redirect without Location for " + file + " of " + repo)));
                    continue;
                }
                long total;
                boolean append;
                if (status == 206) {
                    String range = response.headers().firstValue("Content-Range").orElse("");
                    if (!range.startsWith("bytes " + have + "-")) {
                        throw new HubException("asked for bytes from " + have + " of " + file + " of " + repo
                                + " but the server sent Content-Range '" + range + "'");
                    }
                    total = Long.parseLong(range.substring(range.indexOf('/') + 1).strip());
                    append = true;
                } else if (status == 200) {
                    total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    append = false;
                } else {
                    throw new HubException("GET " + file + " of " + repo + " answered HTTP " + status);
                }
                try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    body.transferTo(out);
                }
                return total;
            }
        }
        throw new HubException("more than " + MAX_REDIRECTS + " redirects downloading " + file + " of " + repo);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, HubRepoId repo, String file)
            throws IOException {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while fetching " + file + " of " + repo, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            String code = response.headers().firstValue("X-Error-Code").orElse("EntryNotFound");
            throw new HubException.NotFound(code + ": " + file + " of " + repo + " (" + request.uri() + ")");
        }
        if (status == 401 || status == 403) {
            throw new HubException("HTTP " + status + " for " + file + " of " + repo + ": the repository is private or"
                    + " gated; set HF_TOKEN to a token that may read it" + (settings.token() == null ? "" : " (HF_TOKEN is set)"));
        }
        if (status >= 500) throw new IOException("HTTP " + status + " for " + request.uri());
        return response;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
                .header("User-Agent", "ranker4j/0.1");
        boolean toEndpoint = uri.getHost() != null && uri.getHost().equalsIgnoreCase(settings.endpoint().getHost())
                && uri.getPort() == settings.endpoint().getPort();
        if (settings.token() != null && toEndpoint) builder.header("Authorization", "Bearer " + settings.token());
        return builder;
    }

    private static void verifySha256(Path file, String expected, HubRepoId repo, String name) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expected)) {
            Files.delete(file);
            throw new HubException("SHA-256 of the downloaded " + name + " of " + repo + " is " + actual
                    + ", but the Hub announced " + expected + "; the partial file was deleted");
        }
    }

    private static void checkFileName(String file) {
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\") || List.of(file.split("/")).contains("..")) {
            throw new IllegalArgumentException("'" + file + "' is not a file path inside a repository");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!encoded.isEmpty()) encoded.append('/');
            encoded.append(encode(segment));
        }
        return encoded.toString();
    }
}
