package dev.ranker4j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BertNormalizerTest {
    private final BertNormalizer uncased = BertNormalizer.of(true, true, null, true);

    @Test
    void stripsAccentsAndLowercasesWhenStripAccentsIsUnsetAndLowercaseIsOn() {
        assertEquals("cafe naive facade angstrom", uncased.normalize("Café Naïve FAÇADE Ångström"));
    }

    @Test
    void stripAccentsRunsBeforeLowercaseSoDottedCapitalIBecomesPlainI() {
        assertEquals("istanbul", uncased.normalize("İstanbul"));
        // Without stripping, Rust's full lowercase mapping of U+0130 keeps the combining dot.
        BertNormalizer keepAccents = BertNormalizer.of(true, true, false, true);
        assertEquals("i\u0307stanbul", keepAccents.normalize("İstanbul"));
    }

    @Test
    void lowercasesPerCodePointWithoutTheFinalSigmaRule() {
        assertEquals("οδοσ", BertNormalizer.of(true, true, false, true).normalize("ΟΔΟΣ"));
    }

    @Test
    void cleanTextDropsControlAndFormatCharactersAndMapsWhitespaceToSpace() {
        String input = "a\u0000b\uFFFDc\u200Bd\u0007e\tf\ng\u00A0h\u3000i\u2028j";
        assertEquals("abcde f g h i j", uncased.normalize(input));
        BertNormalizer noClean = BertNormalizer.of(false, true, null, true);
        assertEquals("a\u0000b", noClean.normalize("A\u0000B"));
    }

    @Test
    void surroundsCjkIdeographsWithSpacesButNotKanaOrHangul() {
        // Hangul syllables are not ideographs; strip-accents' NFD splits them into jamo (as HF does).
        assertEquals(" 北  京 は\u1112\u1161\u11AB", uncased.normalize("北京は한"));
        assertEquals("北京", BertNormalizer.of(true, false, null, true).normalize("北京"));
        assertEquals(" \uD840\uDC00 ", uncased.normalize("\uD840\uDC00")); // U+20000, extension B
    }

    @Test
    void casedNormalizerKeepsCaseAndAccents() {
        BertNormalizer cased = BertNormalizer.of(true, true, null, false);
        assertEquals("Café", cased.normalize("Café"));
        assertEquals("Cafe", BertNormalizer.of(true, true, true, false).normalize("Café"));
    }

    @Test
    void preTokenizerSplitsOnWhitespaceAndIsolatesEachPunctuationCharacter() {
        assertEquals(List.of("Hey", "friend", "!", "How", "are", "you", "?", "!", "?"),
                words("Hey friend!     How are you?!?"));
        // ASCII symbols count as punctuation for BERT although Unicode calls them symbols; "€" (Sc) does not.
        assertEquals(List.of("$", "5", "+", "3", "€4", "—", "x", "“", "q", "”"), words("$5+3 €4—x “q”"));
        assertEquals(List.of("a", "b"), words("a\u00A0b"));
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        BertPreTokenizer.split(text, (t, s, e) -> words.add(t.substring(s, e)));
        return words;
    }
}
