package dev.ranker4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WordPieceTokenizerTest {
    private final WordPieceTokenizer tokenizer = TinyTokenizers.bert();

    private static String[] tokens(Encoding e) {
        return e.tokens();
    }

    @Test
    void greedyLongestMatchFirstWithContinuationPrefix() {
        assertArrayEquals(new String[] {"[CLS]", "un", "##aff", "##able", "[SEP]"}, tokens(tokenizer.encode("Unaffable")));
        assertArrayEquals(new int[] {2, 5, 6, 7, 3}, tokenizer.encode("Unaffable").ids());
    }

    @Test
    void aWordWithAnUnmatchablePieceBecomesOneUnknownToken() {
        // "unaffablez": un ##aff ##able, then nothing matches "z": the whole word is [UNK], not a partial split.
        assertArrayEquals(new String[] {"[CLS]", "hello", "[UNK]", "world", "[SEP]"},
                tokens(tokenizer.encode("hello unaffablez world")));
    }

    @Test
    void wordsLongerThanMaxInputCharsPerWordAreUnknown() {
        WordPieceTokenizer limited = TinyTokenizers.bert(5);
        assertArrayEquals(new String[] {"[CLS]", "a", "##a", "##a", "##a", "##a", "[SEP]"},
                tokens(limited.encode("aaaaa")));
        assertArrayEquals(new String[] {"[CLS]", "[UNK]", "[SEP]"}, tokens(limited.encode("aaaaaa")));
        // The limit counts code points, not UTF-16 units: 5 astral characters are 10 chars but 5 code points.
        assertArrayEquals(new String[] {"[CLS]", "[UNK]", "[SEP]"}, tokens(limited.encode("😀😀😀😀😀")));
    }

    @Test
    void specialTokensInTheTextAreMatchedLiterallyBeforeNormalization() {
        Encoding e = tokenizer.encode("hello [MASK] world[SEP]a [mask]");
        assertArrayEquals(new String[] {"[CLS]", "hello", "[MASK]", "world", "[SEP]", "a", "[UNK]", "[UNK]", "[UNK]",
                "[SEP]"}, tokens(e));
    }

    @Test
    void addedTokenFlagsBehaveAsInHuggingFace() {
        int x = 19;
        // single_word: "<x>" touching a word character is not a match (its characters become ordinary text).
        WordPieceTokenizer singleWord = TinyTokenizers.bert(new AddedToken(x, "<x>", true, false, false, false, false));
        assertEquals(List.of(2, 10, x, 11, 3), boxed(singleWord.encode("hello <x> world").ids()));
        assertEquals(List.of(2, 10, 1, 1, 1, 3), boxed(singleWord.encode("hello<x> ").ids()));
        // normalized: matched against the lowercased text, so "<X>" matches too.
        WordPieceTokenizer normalized = TinyTokenizers.bert(new AddedToken(x, "<X>", false, false, false, true, false));
        assertEquals(List.of(2, 10, x, 11, 3), boxed(normalized.encode("hello<x>world").ids()));
        // lstrip / rstrip swallow whitespace; the other side's whitespace is left to the pre-tokenizer.
        WordPieceTokenizer strip = TinyTokenizers.bert(new AddedToken(x, "<x>", false, true, true, false, false));
        assertEquals(List.of(2, 10, x, 11, 3), boxed(strip.encode("hello   <x>   world").ids()));
    }

    @Test
    void pairsGetTypeIdsFromTheTemplate() {
        Encoding e = tokenizer.encodePair("hello", "a world");
        assertArrayEquals(new String[] {"[CLS]", "hello", "[SEP]", "a", "world", "[SEP]"}, tokens(e));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, e.attentionMask());
    }

    @Test
    void longestFirstCutsTheLongerSequenceAndOnTiesGivesTheSecondTheOddToken() {
        // 4 + 4 text tokens, max 10 -> budget 7 -> 3 + 4.
        Encoding tie = tokenizer.encodePair("a a a a", "hello hello hello hello", Truncation.longestFirst(10));
        assertArrayEquals(new int[] {2, 8, 8, 8, 3, 10, 10, 10, 10, 3}, tie.ids());
        // 2 + 8, budget 7 -> 2 + 5: only the longer one loses tokens.
        Encoding shortFirst = tokenizer.encodePair("a a", "hello hello hello hello hello hello hello hello",
                Truncation.longestFirst(10));
        assertEquals(10, shortFirst.length());
        assertArrayEquals(new int[] {2, 8, 8, 3, 10, 10, 10, 10, 10, 3}, shortFirst.ids());
        // Single text: keep max_length - 2 tokens.
        assertArrayEquals(new int[] {2, 8, 8, 3}, tokenizer.encode("a a a a a", Truncation.longestFirst(4)).ids());
    }

    @Test
    void whenBothTextsReachMaxLengthTheirCutAtAWordEndDecidesWhichIsLonger() {
        // HF tokenizes each text only until it holds max_length tokens, at a word's end (tokenize_with_limit).
        // "aa" is a + ##a: max_length 10, budget 7.
        // first: 12 x "a" -> cut at 10; second: 5 x "aa" -> 2, 4, 6, 8, 10 -> cut at 10 as well: equal, so the
        // second keeps the odd token (3 + 4) although the first is longer in full (12 > 10).
        Encoding equalCuts = tokenizer.encodePair("a a a a a a a a a a a a", "aa aa aa aa aa", Truncation.longestFirst(10));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, equalCuts.typeIds()); // [CLS] 3 [SEP] | 4 [SEP]
        // first: 9 x "a" + "aa" -> 11 at the end of the word that crosses 10; second: 12 x "a" -> 10. The first
        // counts as longer and keeps the odd token (4 + 3), although in full it is the shorter (11 < 12).
        Encoding wordCrosses = tokenizer.encodePair("a a a a a a a a a aa", "a a a a a a a a a a a a",
                Truncation.longestFirst(10));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, wordCrosses.typeIds()); // [CLS] 4 [SEP] | 3 [SEP]
    }

    @Test
    void closedFormMatchesHuggingFaceTruncationTable() {
        // HF utils/truncation.rs truncate_encodings_longest_first, budget 7, lengths 0/2/4/8.
        int[] lengths = {0, 2, 4, 8};
        int[][][] expected = {
                {{0, 0}, {0, 2}, {0, 4}, {0, 7}},
                {{2, 0}, {2, 2}, {2, 4}, {2, 5}},
                {{4, 0}, {4, 2}, {3, 4}, {3, 4}},
                {{7, 0}, {5, 2}, {4, 3}, {3, 4}}};
        Truncation t = Truncation.longestFirst(9);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertArrayEquals(expected[i][j], t.keptLengths(lengths[i], lengths[j], 7), i + "," + j);
            }
        }
    }

    @Test
    void onlySecondRefusesLikeHuggingFaceWhenTheSecondCannotAbsorbTheExcess() {
        Truncation max6 = Truncation.onlySecond(6);
        assertArrayEquals(new int[] {2, 8, 8, 3, 10, 3}, tokenizer.encodePair("a a", "hello hello", max6).ids());
        // first alone fills the budget: excess 2 == second's length -> refused (HF needs length > excess).
        TruncationException refused = assertThrows(TruncationException.class,
                () -> tokenizer.encodePair("a a a", "hello hello", max6));
        assertEquals("Truncation error: Sequence to truncate too short to respect the provided max_length",
                refused.getMessage());
        assertEquals("Truncation error: Second sequence not provided", assertThrows(TruncationException.class,
                () -> tokenizer.encode("a a a a a", max6)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encodePair("a", "b", Truncation.longestFirst(2)));
    }

    @Test
    void batchesArePaddedWithPadIdTypeZeroAndMaskZero() {
        BatchEncoding batch = tokenizer.encodeBatch(List.of("hello", "a a a"), Truncation.NONE, Padding.LONGEST);
        assertArrayEquals(new int[] {2, 5}, batch.shape());
        assertArrayEquals(new int[][] {{2, 10, 3, 0, 0}, {2, 8, 8, 8, 3}}, batch.ids2d());
        assertArrayEquals(new int[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}}, batch.attentionMask2d());
        assertEquals(3, batch.realLength(0));
        BatchEncoding pairs = tokenizer.encodePairBatch(List.of("hello", "a"), List.of("world", "a a a"),
                Truncation.longestFirst(6), Padding.toLength(8));
        assertArrayEquals(new int[][] {{0, 0, 0, 1, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 1, 0, 0}}, pairs.typeIds2d());
        assertArrayEquals(new long[] {2, 10, 3, 11, 3, 0, 0, 0}, BatchEncoding.toLongs(pairs.row(pairs.ids(), 0)));
        assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encodeBatch(List.of("a a a a"), Truncation.NONE, Padding.toLength(4)));
    }

    @Test
    void decodeJoinsPiecesSkipsSpecialTokensAndCleansUpSpaces() {
        int[] ids = tokenizer.encode("Hello , world! It's unaffable.").ids();
        // tokenizers' WordPiece decoder cleans each token (" ." -> "."), so " '" + " s" stays spaced ...
        assertEquals("hello, world! it ' s unaffable.", tokenizer.decode(ids));
        assertEquals("[CLS] hello, world! it ' s unaffable. [SEP]", tokenizer.decode(ids, false));
        // ... while transformers' clean_up_tokenization_spaces cleans the joined text.
        assertEquals("hello, world! it's unaffable.", tokenizer.decode(ids, true, true));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {999}));
    }

    private static List<Integer> boxed(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
