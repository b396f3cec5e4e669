package dev.ranker4j.tokenizer;

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

    /** HF's decoder cleanup (decoders/wordpiece.rs), applied in this order (it matters for overlapping patterns). */
    private static final String[][] DECODER_CLEANUP = {
            {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"}, {" 'm", "'m"},
            {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};

    /** transformers' {@code clean_up_tokenization}: the same without the "do not" rule. */
    private static final String[][] TRANSFORMERS_CLEANUP = {
            {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"}, {" 'm", "'m"},
            {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};

    /** HF's per-token decoder cleanup. */
    static String cleanup(String text) {
        return replaceAll(text, DECODER_CLEANUP);
    }

    /** transformers' {@code clean_up_tokenization}, applied to the whole decoded text. */
    static String cleanUpTokenizationSpaces(String text) {
        return replaceAll(text, TRANSFORMERS_CLEANUP);
    }

    private static String replaceAll(String text, String[][] replacements) {
        if (text.indexOf(' ') < 0) return text; // every pattern starts with a space
        for (String[] replacement : replacements) text = text.replace(replacement[0], replacement[1]);
        return text;
    }
}
