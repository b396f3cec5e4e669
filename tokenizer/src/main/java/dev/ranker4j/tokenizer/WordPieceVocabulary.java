package dev.ranker4j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A WordPiece vocabulary: token strings and their ids, plus two character tries for the greedy matcher, one for
 * pieces that start a word and one for continuation pieces (the token minus its {@code ##} prefix).
 *
 * <p>Greedy longest-match-first asks "which is the longest vocabulary entry that is a prefix of the rest of this
 * word?". HF answers it by trying ever shorter substrings in a hash map (O(n²) lookups, each allocating a string).
 * Walking a trie answers it in one left-to-right pass without allocating: remember the last node that ends a token.
 * {@link #longestMatchSlow} is the hash-map version, kept as the obviously-correct twin for tests.
 *
 * <p>The trie is stored flat: node {@code n}'s children occupy {@code [childStart[n], childStart[n+1])} of
 * {@code childChar} (sorted, so a child is found by binary search) and {@code childNode}.
 */
final class WordPieceVocabulary {
    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final String continuingPrefix;

    private final int[] childStart;
    private final char[] childChar;
    private final int[] childNode;
    private final int[] nodeToken;
    private final int wordStartRoot;
    private final int continuationRoot;

    /** @param ids token to id, as in tokenizer.json's {@code model.vocab}; ids must be non-negative */
    WordPieceVocabulary(Map<String, Integer> ids, String continuingPrefix) {
        this.ids = new HashMap<>(ids);
        this.continuingPrefix = continuingPrefix;
        int maxId = -1;
        for (int id : ids.values()) {
            if (id < 0) throw new IllegalArgumentException("negative token id " + id + " in the vocabulary");
            maxId = Math.max(maxId, id);
        }
        this.tokens = new String[maxId + 1];
        for (Map.Entry<String, Integer> entry : ids.entrySet()) tokens[entry.getValue()] = entry.getKey();
        // Build a pointer trie, then flatten it breadth-first.
        List<TreeMap<Character, Integer>> children = new ArrayList<>();
        List<Integer> tokenAt = new ArrayList<>();
        int start = newNode(children, tokenAt);
        int cont = newNode(children, tokenAt);
        for (Map.Entry<String, Integer> entry : ids.entrySet()) {
            String token = entry.getKey();
            // Every token can start a word (HF looks the bare substring up); "##x" also continues one as "x".
            insert(children, tokenAt, start, token, 0, entry.getValue());
            if (!continuingPrefix.isEmpty() && token.startsWith(continuingPrefix)
                    && token.length() > continuingPrefix.length()) {
                insert(children, tokenAt, cont, token, continuingPrefix.length(), entry.getValue());
            }
        }
        int nodes = children.size();
        childStart = new int[nodes + 1];
        nodeToken = new int[nodes];
        int edges = 0;
        for (int n = 0; n < nodes; n++) {
            childStart[n] = edges;
            edges += children.get(n).size();
            nodeToken[n] = tokenAt.get(n);
        }
        childStart[nodes] = edges;
        childChar = new char[edges];
        childNode = new int[edges];
        for (int n = 0; n < nodes; n++) {
            int e = childStart[n];
            for (Map.Entry<Character, Integer> child : children.get(n).entrySet()) {
                childChar[e] = child.getKey();
                childNode[e++] = child.getValue();
            }
        }
        wordStartRoot = start;
        continuationRoot = cont;
    }

    private static void insert(List<TreeMap<Character, Integer>> children, List<Integer> tokenAt, int root,
                               String token, int from, int id) {
        int node = root;
        for (int i = from; i < token.length(); i++) {
            Integer child = children.get(node).get(token.charAt(i));
            if (child == null) {
                child = newNode(children, tokenAt);
                children.get(node).put(token.charAt(i), child);
            }
            node = child;
        }
        if (node != root) tokenAt.set(node, id);
    }

    private static int newNode(List<TreeMap<Character, Integer>> children, List<Integer> tokenAt) {
        children.add(new TreeMap<>());
        tokenAt.add(-1);
        return children.size() - 1;
    }

    int size() {
        return tokens.length;
    }

    /** The id of {@code token}, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token string of {@code id}, or null when the id is outside the vocabulary. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    String continuingPrefix() {
        return continuingPrefix;
    }

    /**
     * The longest vocabulary piece that starts at {@code start} of {@code text} and ends at or before {@code end}
     * (looked up with the continuation prefix when {@code continuation}). Returns {@code (id << 32) | length} or -1.
     */
    long longestMatch(String text, int start, int end, boolean continuation) {
        int node = continuation ? continuationRoot : wordStartRoot;
        int bestId = -1;
        int bestLength = 0;
        for (int i = start; i < end; i++) {
            node = child(node, text.charAt(i));
            if (node < 0) break;
            if (nodeToken[node] >= 0) {
                bestId = nodeToken[node];
                bestLength = i + 1 - start;
            }
        }
        return bestId < 0 ? -1 : ((long) bestId << 32) | bestLength;
    }

    private int child(int node, char c) {
        int index = Arrays.binarySearch(childChar, childStart[node], childStart[node + 1], c);
        return index >= 0 ? childNode[index] : -1;
    }

    /** {@link #longestMatch} as HF writes it: try {@code text[start, e)} for e from {@code end} down, by code point. */
    long longestMatchSlow(String text, int start, int end, boolean continuation) {
        for (int e = end; e > start; e = text.offsetByCodePoints(e, -1)) {
            String piece = text.substring(start, e);
            Integer id = ids.get(continuation ? continuingPrefix + piece : piece);
            if (id != null) return ((long) id << 32) | (e - start);
        }
        return -1;
    }
}
