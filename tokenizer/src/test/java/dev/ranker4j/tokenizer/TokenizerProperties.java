package dev.ranker4j.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerProperties {
    /** Every lowercase letter and digit as a word start and as a continuation, plus a few longer pieces. */
    private static final WordPieceTokenizer LETTERS = lettersTokenizer();

    @Property(tries = 200)
    void decodeOfEncodeIsTheNormalizedInput(@ForAll("asciiWordText") String text) {
        String expected = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[\\s\u00A0]+", " ").trim();
        assertEquals(expected, LETTERS.decode(LETTERS.encode(text).ids()));
    }

    /**
     * Pre-tokenized ids (the Reranker toolkit's grouped data) give the same pair encoding as the texts, unless both
     * reach max_length (then the texts' word boundaries decide which counts as longer; Truncation's Javadoc).
     */
    @Property(tries = 100)
    void pairOfIdsEncodesLikeThePairOfTexts(@ForAll("asciiWordText") String first, @ForAll("asciiWordText") String second,
                                            @ForAll @IntRange(min = 3, max = 40) int maxLength) {
        net.jqwik.api.Assume.that(Math.min(LETTERS.tokenIds(first).size(), LETTERS.tokenIds(second).size()) < maxLength);
        Truncation truncation = Truncation.longestFirst(maxLength);
        assertEquals(LETTERS.encodePair(first, second, truncation), LETTERS.encodePairIds(
                LETTERS.tokenIds(first).toArray(), LETTERS.tokenIds(second).toArray(), truncation));
    }

    @Property(tries = 200)
    void encodingsNeverExceedMaxLengthAndKeepAPrefixOfEachSequence(@ForAll("asciiWordText") String first,
                                                                   @ForAll("asciiWordText") String second,
                                                                   @ForAll @IntRange(min = 3, max = 40) int maxLength,
                                                                   @ForAll TruncationStrategy strategy) {
        int[] full = LETTERS.encodePair(first, second).ids();
        Encoding truncated;
        try {
            truncated = LETTERS.encodePair(first, second, new Truncation(maxLength, strategy));
        } catch (TruncationException refused) {
            // Only the single-sequence strategies may refuse, and only when the encoding is too long.
            assertTrue(strategy != TruncationStrategy.LONGEST_FIRST && full.length > maxLength);
            return;
        }
        assertTrue(truncated.length() <= maxLength, () -> truncated.length() + " > " + maxLength);
        if (full.length <= maxLength) {
            assertArrayEquals(full, truncated.ids());
        } else {
            assertEquals(maxLength, truncated.length());
        }
        // Each segment of the truncated encoding is a prefix of the same segment untruncated.
        int[] a = LETTERS.tokenIds(first).toArray();
        int[] b = LETTERS.tokenIds(second).toArray();
        int keptA = Arrays.stream(truncated.typeIds()).map(t -> 1 - t).sum() - 2;
        assertArrayEquals(Arrays.copyOf(a, keptA), Arrays.copyOfRange(truncated.ids(), 1, 1 + keptA));
        int keptB = truncated.length() - keptA - 3;
        assertArrayEquals(Arrays.copyOf(b, keptB), Arrays.copyOfRange(truncated.ids(), 2 + keptA, 2 + keptA + keptB));
    }

    @Property(tries = 200)
    void trieAndHashMapSearchAgreeOnArbitraryText(@ForAll("mixedText") String text) {
        assertArrayEquals(LETTERS.tokenIds(text, true).toArray(), LETTERS.tokenIds(text, false).toArray());
    }

    @Provide
    Arbitrary<String> asciiWordText() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('é', 'Ü').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> gap = Arbitraries.of(" ", "  ", "\t", "\n", " \u00A0");
        return net.jqwik.api.Combinators.combine(word.list().ofMinSize(1).ofMaxSize(8), gap)
                .as((words, g) -> String.join(g, words));
    }

    @Provide
    Arbitrary<String> mixedText() {
        return Arbitraries.strings().withCharRange('a', 'f').withChars(' ', '#', '.', 'é', '北', '[', ']')
                .ofMaxLength(30);
    }

    private static WordPieceTokenizer lettersTokenizer() {
        Map<String, Integer> vocab = new HashMap<>();
        for (String special : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]"}) vocab.put(special, vocab.size());
        for (char c = 'a'; c <= 'z'; c++) {
            vocab.put(String.valueOf(c), vocab.size());
            vocab.put("##" + c, vocab.size());
        }
        for (char c = '0'; c <= '9'; c++) {
            vocab.put(String.valueOf(c), vocab.size());
            vocab.put("##" + c, vocab.size());
        }
        for (String piece : new String[] {"ab", "abc", "##bc", "##cab", "de", "##def", "the", "##ing"}) {
            vocab.put(piece, vocab.size());
        }
        WordPieceModel model = new WordPieceModel(new WordPieceVocabulary(vocab, "##"), "[UNK]", 100);
        java.util.List<AddedToken> specials = java.util.List.of(AddedToken.special(0, "[PAD]"),
                AddedToken.special(1, "[UNK]"), AddedToken.special(2, "[CLS]"), AddedToken.special(3, "[SEP]"));
        return new WordPieceTokenizer(BertNormalizer.of(true, true, null, true), model, specials,
                TemplateProcessing.bert("[CLS]", 2, "[SEP]", 3), new WordPieceDecoder("##", true), "[PAD]",
                OptionalInt.empty());
    }
}
