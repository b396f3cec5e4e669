package dev.ranker4j.transformer.tokenizer;

import java.util.List;

/**
 * Turns WordPiece tokens back into text (decoders/wordpiece.rs): a token starting with the continuing prefix is
 * glued to the previous one without its prefix; any other token after the first gets a leading space. With
 * {@code cleanup}, each token then has tokenization artifacts undone, e.g. " ." becomes "." and " n't" becomes
 * "n't" (HF applies this per token, after the space has been added).
 *
 * @param prefix  the continuing-subword prefix, {@code ##}
 * @param cleanup undo the spaces tokenization put before punctuation and English contractions
 */
record WordPieceDecoder(String prefix, boolean cleanup) {

    String decode(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            out.append(cleanup ? cleanup(token) : token);
        }
        return out.toString();
    }

    /** HF's cleanup: the replacements in HF's order (the order matters for overlapping patterns). */
    static String cleanup(String text) {
        if (text.indexOf(' ') < 0) return text;
        return text.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" do not", " don't")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    /** transformers' {@code clean_up_tokenization}, applied to the whole decoded text (no "do not" rule). */
    static String cleanUpTokenizationSpaces(String text) {
        return text.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }
}
