package dev.ranker4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Hugging Face reference cases of ../shared/reference/tokenizer/*.jsonl, one per line. */
record ReferenceCases(List<Case> cases) {

    /** One case: inputs, then either the expected encoding or HF's error message. */
    record Case(int line, String text, String textPair, Integer maxLength, String truncation, int[] ids,
                int[] typeIds, String[] tokens, String error) {

        /** Runs this case's inputs through {@code tokenizer}; an HF-style refusal becomes {@code Outcome.error}. */
        Outcome run(WordPieceTokenizer tokenizer) {
            Truncation truncation = maxLength == null ? Truncation.NONE
                    : new Truncation(maxLength, TruncationStrategy.fromHfName(
                            this.truncation == null ? "longest_first" : this.truncation));
            try {
                Encoding e = textPair == null ? tokenizer.encode(text, truncation)
                        : tokenizer.encodePair(text, textPair, truncation);
                return new Outcome(e, null);
            } catch (TruncationException refused) {
                return new Outcome(null, refused.getMessage());
            }
        }

        boolean matches(Outcome outcome) {
            if (error != null) return error.equals(outcome.error());
            Encoding e = outcome.encoding();
            return e != null && java.util.Arrays.equals(ids, e.ids()) && java.util.Arrays.equals(typeIds, e.typeIds())
                    && java.util.Arrays.equals(tokens, e.tokens());
        }

        String describe(Outcome outcome) {
            String input = "line " + line + ": text=" + abbreviate(text)
                    + (textPair == null ? "" : " text_pair=" + abbreviate(textPair))
                    + (maxLength == null ? "" : " max_length=" + maxLength + " " + truncation);
            String expected = error != null ? "error " + error : "tokens " + String.join(" ", tokens)
                    + "\n      ids " + java.util.Arrays.toString(ids) + " types " + java.util.Arrays.toString(typeIds);
            String actual = outcome.error() != null ? "error " + outcome.error()
                    : "tokens " + String.join(" ", outcome.encoding().tokens()) + "\n      ids "
                    + java.util.Arrays.toString(outcome.encoding().ids()) + " types "
                    + java.util.Arrays.toString(outcome.encoding().typeIds());
            return input + "\n  HF:   " + expected + "\n  ours: " + actual;
        }

        private static String abbreviate(String s) {
            return s.length() <= 120 ? '"' + s + '"' : '"' + s.substring(0, 117) + "...\"";
        }
    }

    record Outcome(Encoding encoding, String error) {}

    static ReferenceCases read(Path jsonl) {
        ObjectMapper json = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                JsonNode n = json.readTree(lines.get(i));
                cases.add(new Case(i + 1, n.get("text").asText(), text(n, "text_pair"),
                        n.hasNonNull("max_length") ? n.get("max_length").asInt() : null, text(n, "truncation"),
                        ints(n.get("ids")), ints(n.get("type_ids")), strings(n.get("tokens")), text(n, "error")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReferenceCases(cases);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static int[] ints(JsonNode array) {
        if (array == null) return null;
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static String[] strings(JsonNode array) {
        if (array == null) return null;
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asText();
        return out;
    }
}
