package dev.ranker4j.bench;

import dev.ranker4j.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Queries and passages of an exact token length, made of the model's own whole-word tokens (seeded), so a benchmark
 * states its shape exactly: with {@link #pairTokens} every (query, passage) pair is {@code [CLS] q [SEP] p [SEP]} of
 * exactly that many tokens, as a cross-encoder reads it; without, each passage alone is.
 */
final class SyntheticPassages {
    private final WordPieceTokenizer tokenizer;
    private final List<String> words = new ArrayList<>();
    private final SplittableRandom random;

    SyntheticPassages(WordPieceTokenizer tokenizer, long seed) {
        this.tokenizer = tokenizer;
        this.random = new SplittableRandom(seed);
        List<String> shortWords = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String token = tokenizer.idToToken(id);
            if (token == null || !token.chars().allMatch(c -> c >= 'a' && c <= 'z')) continue;
            if (tokenizer.encode(token).length() != 3) continue; // [CLS] token [SEP]: a whole word of one token
            (token.length() >= 3 ? words : shortWords).add(token);
        }
        if (words.size() < 100) words.addAll(shortWords); // a tiny test vocabulary
        if (words.isEmpty()) throw new IllegalArgumentException("the vocabulary has no lowercase whole-word tokens");
    }

    /** A text of {@code count} one-token words. */
    String words(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) text.append(' ');
            text.append(words.get(random.nextInt(words.size())));
        }
        return text.toString();
    }

    /** {@code count} passages, each of which makes a {@code tokens}-token pair with {@code query}. */
    List<String> pairTokens(String query, int tokens, int count) {
        int queryTokens = tokenizer.encode(query).length() - 2;
        int passageWords = tokens - queryTokens - 3;
        if (passageWords < 1) throw new IllegalArgumentException("a " + tokens + "-token pair leaves no room for a passage");
        List<String> passages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String passage = words(passageWords);
            int length = tokenizer.encodePair(query, passage).length();
            if (length != tokens) throw new IllegalStateException("built a " + length + "-token pair, not " + tokens);
            passages.add(passage);
        }
        return passages;
    }

    /** {@code count} passages of exactly {@code tokens} tokens each, special tokens included. */
    List<String> ofTokens(int tokens, int count) {
        List<String> passages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) passages.add(words(tokens - 2));
        return passages;
    }
}
