package dev.ranker4j.ir.data;

/** Guards for writing tab- and line-separated formats: a value containing a separator would corrupt the file. */
final class Tsv {
    private Tsv() {}

    /** {@code value} if it contains no tab or line break; otherwise an exception naming it. */
    static String field(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("cannot write a value containing a tab or line break to a TSV file: "
                        + abbreviate(value));
            }
        }
        return value;
    }

    /** {@code value} if it is a non-empty token without white space (ids in white-space-separated TREC files). */
    static String token(String value) {
        if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an id written to a white-space-separated TREC file must be non-empty "
                    + "and contain no white space: \"" + abbreviate(value) + "\"");
        }
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
