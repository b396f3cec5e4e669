package dev.ranker4j.hfio.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how to reach the Hub, from the same environment variables {@code huggingface_hub} reads:
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the server (default {@code https://huggingface.co});</li>
 *   <li>{@code HF_HUB_CACHE}, else {@code HF_HOME}/hub, else {@code ~/.cache/huggingface/hub}: the cache, shared with
 *       Python tools;</li>
 *   <li>{@code HF_TOKEN}: sent as {@code Authorization: Bearer} to the endpoint (never to redirect targets on other
 *       hosts);</li>
 *   <li>{@code HF_HUB_OFFLINE=1} (or true/yes/on): no network at all, files come from the cache only.</li>
 * </ul>
 */
public record HubSettings(URI endpoint, Path cacheRoot, String token, boolean offline) {

    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static HubSettings fromEnvironment(Map<String, String> env) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "https://huggingface.co");
        Path cache;
        if (notBlank(env.get("HF_HUB_CACHE"))) cache = Path.of(env.get("HF_HUB_CACHE"));
        else if (notBlank(env.get("HF_HOME"))) cache = Path.of(env.get("HF_HOME"), "hub");
        else cache = Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
        String token = notBlank(env.get("HF_TOKEN")) ? env.get("HF_TOKEN").strip() : null;
        String offline = env.getOrDefault("HF_HUB_OFFLINE", "").strip().toLowerCase(java.util.Locale.ROOT);
        boolean isOffline = offline.equals("1") || offline.equals("true") || offline.equals("yes") || offline.equals("on");
        return new HubSettings(URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint),
                cache, token, isOffline);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
