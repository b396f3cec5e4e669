package dev.ranker4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits text around occurrences of added tokens, as HF's AddedVocabulary does: scan left to right and, at the
 * leftmost position where some token matches, take the longest one (non-overlapping leftmost-longest). Then apply
 * the token's flags: a {@code single_word} token touching a word character on either side is not a match (the
 * scan still resumes after it); {@code lstrip}/{@code rstrip} extend the match over adjacent whitespace, which is
 * thereby removed from the neighbouring text.
 */
final class AddedTokenMatcher {

    /** Receives the pieces of a split, in order. */
    interface SegmentSink {
        /** Plain text {@code text[start, end)} (non-empty). */
        void text(String text, int start, int end);

        /** An added token. */
        void added(AddedToken token);
    }

    private final AddedToken[] longestFirst;
    private final Set<Character> firstChars = new HashSet<>();

    AddedTokenMatcher(List<AddedToken> tokens) {
        List<AddedToken> sorted = new ArrayList<>(tokens);
        sorted.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
        longestFirst = sorted.toArray(AddedToken[]::new);
        for (AddedToken token : tokens) firstChars.add(token.content().charAt(0));
    }

    boolean isEmpty() {
        return longestFirst.length == 0;
    }

    /** Splits {@code text} into plain pieces and added tokens. */
    void split(String text, SegmentSink sink) {
        if (longestFirst.length == 0) {
            if (!text.isEmpty()) sink.text(text, 0, text.length());
            return;
        }
        int emitted = 0; // text before this index has been handed to the sink
        int i = 0;
        while (i < text.length()) {
            AddedToken token = firstChars.contains(text.charAt(i)) ? longestAt(text, i) : null;
            if (token == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = i + token.content().length();
            i = stop;
            if (token.singleWord()) {
                boolean wordBefore = start > 0 && BertCharacters.isWordChar(text.codePointBefore(start));
                boolean wordAfter = stop < text.length() && BertCharacters.isWordChar(text.codePointAt(stop));
                if (wordBefore || wordAfter) continue;
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && BertCharacters.isWhitespace(text.codePointBefore(newStart))) {
                    newStart = text.offsetByCodePoints(newStart, -1);
                }
                start = Math.max(newStart, emitted);
            }
            if (token.rstrip()) {
                while (stop < text.length() && BertCharacters.isWhitespace(text.codePointAt(stop))) {
                    stop = text.offsetByCodePoints(stop, 1);
                }
                i = stop;
            }
            if (emitted < start) sink.text(text, emitted, start);
            sink.added(token);
            emitted = stop;
        }
        if (emitted < text.length()) sink.text(text, emitted, text.length());
    }

    private AddedToken longestAt(String text, int position) {
        for (AddedToken token : longestFirst) {
            if (text.startsWith(token.content(), position)) return token;
        }
        return null;
    }
}
