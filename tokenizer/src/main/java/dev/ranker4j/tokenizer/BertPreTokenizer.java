package dev.ranker4j.tokenizer;

/**
 * BERT's pre-tokenizer (pre_tokenizers/bert.rs): split the normalized text on whitespace (dropped), then split off
 * every punctuation character as a word of its own. "Hey friend!  How?!" gives Hey | friend | ! | How | ? | !.
 */
final class BertPreTokenizer {
    private BertPreTokenizer() {}

    /** Receives each word as a [start, end) range of char indices into the text. */
    @FunctionalInterface
    interface WordSink {
        void word(String text, int start, int end);
    }

    /** Calls {@code sink} for every word of {@code text}, left to right. */
    static void split(String text, WordSink sink) {
        int wordStart = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (BertCharacters.isWhitespace(cp)) {
                if (wordStart >= 0) sink.word(text, wordStart, i);
                wordStart = -1;
            } else if (BertCharacters.isPunctuation(cp)) {
                if (wordStart >= 0) sink.word(text, wordStart, i);
                sink.word(text, i, next);
                wordStart = -1;
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) sink.word(text, wordStart, text.length());
    }
}
