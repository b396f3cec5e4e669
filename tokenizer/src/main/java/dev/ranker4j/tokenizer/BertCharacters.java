package dev.ranker4j.tokenizer;

/**
 * The character classes BERT's normalizer and pre-tokenizer use, defined as Hugging Face {@code tokenizers} defines
 * them (normalizers/bert.rs, pre_tokenizers/bert.rs), which is not always how {@link Character} defines them.
 *
 * <ul>
 *   <li>whitespace: Unicode {@code White_Space} (Rust's {@code char::is_whitespace}). Java's
 *       {@link Character#isWhitespace} differs: it excludes no-break spaces (U+00A0, U+2007, U+202F) and includes
 *       U+001C..U+001F.</li>
 *   <li>control: general category Cc, Cf or Co, except tab, newline and carriage return (which count as whitespace).
 *       Unassigned (Cn) and surrogate code points are kept, as in the {@code unicode_categories} crate.</li>
 *   <li>punctuation: ASCII 33-47, 58-64, 91-96, 123-126 (so {@code $ + < = > ^ ` | ~} count although they are
 *       symbols in Unicode) or any category P*.</li>
 *   <li>Chinese character: the CJK Unified Ideographs blocks and their extensions and compatibility blocks.</li>
 * </ul>
 * HF takes categories from older Unicode tables than the JDK's; only characters assigned or re-categorised since
 * then could classify differently.
 */
final class BertCharacters {
    private BertCharacters() {}

    /** Unicode White_Space, the set Rust's {@code char::is_whitespace} tests. */
    static boolean isWhitespace(int cp) {
        if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Characters {@code clean_text} removes: Cc, Cf, Co except tab/newline/CR. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE;
    }

    /** BERT's punctuation: every ASCII non-alphanumeric printable character, plus Unicode P* categories. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        if (cp < 0x80) return false;
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The ideograph ranges BERT surrounds with spaces (so each becomes its own word). */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Rust regex {@code \w} with Unicode: Alphabetic, marks, decimal digits, connector punctuation, Join_Control. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || Character.isDigit(cp) || cp == 0x200C || cp == 0x200D) return true;
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.CONNECTOR_PUNCTUATION;
    }

    /**
     * Rust's {@code char::to_lowercase} (full case mapping, no context): the simple mapping except U+0130, whose
     * full lowercase is "i" + combining dot above. Java's {@code String.toLowerCase} would also apply the
     * final-sigma rule, which Rust does not.
     */
    static void appendLowercase(StringBuilder out, int cp) {
        if (cp == 0x130) {
            out.append('i').append('\u0307');
        } else {
            out.appendCodePoint(Character.toLowerCase(cp));
        }
    }
}
