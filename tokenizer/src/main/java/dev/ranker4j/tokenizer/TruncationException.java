package dev.ranker4j.tokenizer;

/** HF refuses the requested truncation; the message is HF's own, so outputs can be compared verbatim. */
public final class TruncationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** HF's {@code TruncationError::SequenceTooShort}. */
    static final String SEQUENCE_TOO_SHORT =
            "Truncation error: Sequence to truncate too short to respect the provided max_length";
    /** HF's {@code TruncationError::SecondSequenceNotProvided}. */
    static final String SECOND_SEQUENCE_NOT_PROVIDED = "Truncation error: Second sequence not provided";

    TruncationException(String message) {
        super(message);
    }
}
