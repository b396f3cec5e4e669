package dev.ranker4j.hfio.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the keys of a Hugging Face checkpoint onto the canonical parameter names a ranker4j model expects
 * (see {@link HfArchitecture} for the naming), finding the encoder prefix by itself.
 *
 * <p>Rules, applied to every checkpoint key:
 * <ol>
 *   <li>Legacy TensorFlow-era names are renamed as Hugging Face does: {@code LayerNorm.gamma} to
 *       {@code LayerNorm.weight}, {@code LayerNorm.beta} to {@code LayerNorm.bias}.
 *   <li>For each candidate prefix ({@code ""}, {@code "bert."}, {@code "distilbert."}) the prefix is stripped
 *       where present; the candidate under which the most expected names are found wins (ties: the order
 *       listed). Keys without the prefix (the heads: {@code classifier.*}, {@code pre_classifier.*}) keep their
 *       names.
 *   <li>Buffers Hugging Face itself ignores on load ({@code embeddings.position_ids}) are dropped.
 * </ol>
 * The expected names the checkpoint lacks are <em>missing</em>; checkpoint keys matching no expected name are
 * <em>unexpected</em>.
 */
public final class CheckpointKeys {
    /** The encoder prefixes tried, in order of preference on a tie. */
    public static final List<String> PREFIXES = List.of("", "bert.", "distilbert.");

    /** Non-parameter buffers that old checkpoints contain and loading skips. */
    private static final Set<String> IGNORED_CANONICAL = Set.of("embeddings.position_ids");

    private CheckpointKeys() {}

    /** Compares {@code checkpointKeys} with the canonical names the model {@code expected}. */
    public static LoadReport match(Collection<String> checkpointKeys, Collection<String> expected) {
        Set<String> expectedNames = new LinkedHashSet<>(expected);
        String bestPrefix = PREFIXES.getFirst();
        int bestMatches = -1;
        for (String prefix : PREFIXES) {
            int matches = 0;
            for (String key : checkpointKeys) {
                if (expectedNames.contains(canonical(key, prefix))) {
                    matches++;
                }
            }
            if (matches > bestMatches) {
                bestMatches = matches;
                bestPrefix = prefix;
            }
        }

        Map<String, String> found = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String key : checkpointKeys) {
            String name = canonical(key, bestPrefix);
            if (expectedNames.contains(name) && !found.containsKey(name)) {
                found.put(name, key);
            } else if (IGNORED_CANONICAL.contains(name)) {
                ignored.add(key);
            } else {
                unexpected.add(key);
            }
        }
        List<String> missing = expectedNames.stream().filter(name -> !found.containsKey(name)).toList();
        return new LoadReport(bestPrefix, found, missing, unexpected, ignored);
    }

    /** The canonical name of {@code key} when the encoder prefix is {@code prefix}. */
    public static String canonical(String key, String prefix) {
        String stripped = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
        return renameLegacy(stripped);
    }

    /** {@code LayerNorm.gamma}/{@code .beta} (and {@code layer_norm.*}) to {@code .weight}/{@code .bias}. */
    static String renameLegacy(String key) {
        for (String norm : new String[] {"LayerNorm.", "layer_norm."}) {
            if (key.endsWith(norm + "gamma")) {
                return key.substring(0, key.length() - "gamma".length()) + "weight";
            }
            if (key.endsWith(norm + "beta")) {
                return key.substring(0, key.length() - "beta".length()) + "bias";
            }
        }
        return key;
    }
}
