package dev.ranker4j.tokenizer;

/**
 * The WordPiece model (models/wordpiece in HF tokenizers): splits one pre-tokenized word into vocabulary pieces,
 * greedily taking the longest piece that matches at the current position; every piece after the first is looked up
 * with the continuing-subword prefix ({@code ##}). "unaffable" becomes un ##aff ##able.
 *
 * <p>If some position has no matching piece, or the word is longer than {@code maxInputCharsPerWord} code points,
 * the whole word becomes the unknown token: WordPiece never emits a partial word.
 */
final class WordPieceModel {
    private final WordPieceVocabulary vocabulary;
    private final int unknownId;
    private final int maxInputCharsPerWord;

    WordPieceModel(WordPieceVocabulary vocabulary, String unknownToken, int maxInputCharsPerWord) {
        this.vocabulary = vocabulary;
        this.unknownId = vocabulary.id(unknownToken);
        if (unknownId < 0) {
            throw new IllegalArgumentException("unknown token '" + unknownToken + "' is not in the vocabulary");
        }
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    WordPieceVocabulary vocabulary() {
        return vocabulary;
    }

    int unknownId() {
        return unknownId;
    }

    /** Appends the ids of word {@code text[start, end)} to {@code out}, walking the vocabulary trie. */
    void tokenize(String text, int start, int end, IntList out) {
        tokenize(text, start, end, out, false);
    }

    /** The same, with HF's substring-and-hash-lookup search: the plain twin tests compare against. */
    void tokenizeReference(String text, int start, int end, IntList out) {
        tokenize(text, start, end, out, true);
    }

    private void tokenize(String text, int start, int end, IntList out, boolean reference) {
        int sizeBefore = out.size();
        if (Character.codePointCount(text, start, end) > maxInputCharsPerWord) {
            out.add(unknownId);
            return;
        }
        int position = start;
        while (position < end) {
            boolean continuation = position > start;
            long match = reference
                    ? vocabulary.longestMatchSlow(text, position, end, continuation)
                    : vocabulary.longestMatch(text, position, end, continuation);
            if (match < 0) {
                out.truncate(sizeBefore);
                out.add(unknownId);
                return;
            }
            out.add((int) (match >>> 32));
            position += (int) match;
        }
    }
}
