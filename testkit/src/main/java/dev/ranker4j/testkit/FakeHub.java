package dev.ranker4j.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback HTTP server that answers like the Hub's resolve endpoint: regular files with {@code ETag} and
 * {@code X-Repo-Commit}; "LFS" files with a 302 to {@code /cdn/<sha256>} carrying {@code X-Linked-Etag} and
 * {@code X-Linked-Size} (the CDN is a second server on another port); 404s with {@code X-Error-Code}; Range requests; connections that drop mid-file on demand.
 * Shared by the Hub downloader's tests (transformer) and the CLI's {@code --model ORG/NAME} tests.
 */
public final class FakeHub implements AutoCloseable {
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    public record Request(String method, String path, String range, String authorization) {}

    public final Map<String, Map<String, byte[]>> repos = new HashMap<>();
    public final Set<String> lfs = ConcurrentHashMap.newKeySet();
    /** Path of a GET -> how many bytes to send before dropping the connection (consumed once per entry). */
    public final Map<String, List<Integer>> drops = new ConcurrentHashMap<>();
    /** Repositories that moved: old id -> new id (answered with a relative 307, as the Hub does). */
    public final Map<String, String> renamed = new HashMap<>();
    public final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    public boolean ignoreRange;
    /** When set, the CDN serves these bytes instead of the real ones (a corrupt transfer). */
    public byte[] corruptCdnBody;
    private final HttpServer server;
    /** The "CDN" LFS redirects point at: another origin (port), so the token must not follow. */
    private final HttpServer cdn;

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn.createContext("/", this::handle);
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void put(String repo, String file, byte[] content, boolean isLfs) {
        repos.computeIfAbsent(repo, r -> new LinkedHashMap<>()).put(file, content);
        if (isLfs) lfs.add(repo + "/" + file);
    }

    public static String sha256(byte[] content) {
        return hex("SHA-256", content);
    }

    public static String gitEtag(byte[] content) {
        return hex("SHA-1", content);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public long gets() {
        return requests.stream().filter(r -> r.method().equals("GET")).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            if (path.startsWith("/cdn/")) {
                String sha = path.substring(5);
                for (Map<String, byte[]> files : repos.values()) {
                    for (byte[] content : files.values()) {
                        if (sha256(content).equals(sha)) {
                            exchange.getResponseHeaders().set("ETag", "\"cdn-" + sha.substring(0, 8) + "\"");
                            serve(exchange, path, corruptCdnBody != null ? corruptCdnBody : content);
                            return;
                        }
                    }
                }
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            // /{org}/{name}/resolve/{revision}/{file...}
            String[] parts = path.substring(1).split("/", 5);
            if (parts.length < 5 || !parts[2].equals("resolve")) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String repo = parts[0] + "/" + parts[1];
            if (renamed.containsKey(repo)) {
                exchange.getResponseHeaders().set("Location", "/" + renamed.get(repo) + "/resolve/" + parts[3] + "/" + parts[4]);
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            Map<String, byte[]> files = repos.get(repo);
            if (files == null) {
                notFound(exchange, "RepoNotFound");
                return;
            }
            if (!parts[3].equals("main") && !parts[3].equals(COMMIT)) {
                notFound(exchange, "RevisionNotFound");
                return;
            }
            String file = java.net.URLDecoder.decode(parts[4], java.nio.charset.StandardCharsets.UTF_8);
            byte[] content = files.get(file);
            exchange.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            if (content == null) {
                notFound(exchange, "EntryNotFound");
                return;
            }
            if (lfs.contains(repo + "/" + file)) {
                exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256(content) + "\"");
                exchange.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
                exchange.getResponseHeaders().set("ETag", "\"" + gitEtag(content) + "\"");
                exchange.getResponseHeaders().set("Location",
                        "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + sha256(content));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            exchange.getResponseHeaders().set("ETag", "W/\"" + gitEtag(content) + "\"");
            serve(exchange, path, content);
        }
    }

    private void notFound(HttpExchange exchange, String code) throws IOException {
        exchange.getResponseHeaders().set("X-Error-Code", code);
        exchange.sendResponseHeaders(404, -1);
    }

    private void serve(HttpExchange exchange, String path, byte[] content) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(content.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && !ignoreRange) {
            from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            exchange.sendResponseHeaders(206, content.length - from);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        List<Integer> pending = drops.get(path);
        Integer dropAfter = pending == null || pending.isEmpty() ? null : pending.removeFirst();
        OutputStream body = exchange.getResponseBody();
        if (dropAfter != null) {
            body.write(content, from, Math.min(dropAfter, content.length - from));
            body.flush();
            // Ending the exchange short of its fixed Content-Length makes the server close the connection mid-body.
            throw new IOException("dropped on purpose");
        }
        body.write(content, from, content.length - from);
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
    }
}
