package dev.ranker4j.tokenizer;

import java.text.Normalizer;

/**
 * BERT's text normalizer, in Hugging Face's order (normalizers/bert.rs):
 * <ol>
 *   <li>{@code clean_text}: drop U+0000, U+FFFD and control characters; every whitespace character becomes ' '.</li>
 *   <li>{@code handle_chinese_chars}: put a space on each side of every CJK ideograph.</li>
 *   <li>{@code strip_accents}: NFD, then drop non-spacing marks (category Mn). When the flag is absent (null in
 *       tokenizer.json) it follows {@code lowercase}.</li>
 *   <li>{@code lowercase}: per code point, with Rust's full (context-free) mapping.</li>
 * </ol>
 * Strip-accents runs before lowercasing, so "İ" becomes "I" + U+0307, loses the mark, and ends as "i".
 *
 * @param cleanText          drop controls and map whitespace to ' '
 * @param handleChineseChars isolate CJK ideographs
 * @param stripAccents       NFD + drop Mn marks (already resolved against {@code lowercase})
 * @param lowercase          lowercase every code point
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** HF's constructor semantics: {@code stripAccents == null} means "same as lowercase". */
    public static BertNormalizer of(boolean cleanText, boolean handleChineseChars, Boolean stripAccents,
                                    boolean lowercase) {
        return new BertNormalizer(cleanText, handleChineseChars, stripAccents != null ? stripAccents : lowercase,
                lowercase);
    }

    /** Normalizes {@code text}; ASCII-only input skips the Unicode decomposition, which cannot change it. */
    public String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0x80) ascii = false;
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || BertCharacters.isControl(cp)) continue;
                if (BertCharacters.isWhitespace(cp)) cp = ' ';
            }
            if (handleChineseChars && cp >= 0x3400 && BertCharacters.isChineseChar(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        }
        if (ascii) {
            if (lowercase) {
                for (int i = 0; i < cleaned.length(); i++) {
                    char c = cleaned.charAt(i);
                    if (c >= 'A' && c <= 'Z') cleaned.setCharAt(i, (char) (c + ('a' - 'A')));
                }
            }
            return cleaned.toString();
        }
        String decomposed = stripAccents ? Normalizer.normalize(cleaned, Normalizer.Form.NFD) : cleaned.toString();
        if (!stripAccents && !lowercase) return decomposed;
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (stripAccents && Character.getType(cp) == Character.NON_SPACING_MARK) continue;
            if (lowercase) {
                BertCharacters.appendLowercase(out, cp);
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
