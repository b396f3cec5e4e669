package dev.ranker4j.tokenizer;

import java.util.Locale;

/** Which sequence loses tokens when an encoding is longer than the maximum length (HF's names in {@link #hfName}). */
public enum TruncationStrategy {
    /** Shorten the longer sequence first; when both are long, split the budget evenly (HF's rule, see Truncation). */
    LONGEST_FIRST,
    /** Shorten only the first sequence; refuse when it is too short to absorb the excess. */
    ONLY_FIRST,
    /** Shorten only the second sequence; refuse when there is none or it is too short. */
    ONLY_SECOND;

    /** The name HF uses: {@code longest_first}, {@code only_first}, {@code only_second}. */
    public String hfName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses HF's name; the error lists the valid names. */
    public static TruncationStrategy fromHfName(String name) {
        for (TruncationStrategy strategy : values()) {
            if (strategy.hfName().equals(name)) return strategy;
        }
        throw new IllegalArgumentException("unknown truncation strategy '" + name
                + "' (expected longest_first, only_first or only_second)");
    }
}
