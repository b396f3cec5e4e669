package dev.ranker4j.ir.data;

import java.util.Arrays;
import java.util.Objects;

/** A passage id with its token ids (no special tokens), as in the Reranker toolkit's {@code {"pid", "passage"}}. */
public record TokenizedPassage(String passageId, int[] tokenIds) {
    public TokenizedPassage {
        Objects.requireNonNull(passageId, "passageId");
        Objects.requireNonNull(tokenIds, "tokenIds");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenizedPassage that && passageId.equals(that.passageId)
                && Arrays.equals(tokenIds, that.tokenIds);
    }

    @Override
    public int hashCode() {
        return passageId.hashCode() * 31 + Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "TokenizedPassage[" + passageId + ", " + Arrays.toString(tokenIds) + "]";
    }
}
