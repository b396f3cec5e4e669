package dev.ranker4j.transformer.io.keys;

/** How a sentence encoder turns per-token vectors into one vector. */
public enum Pooling {
    /** The vector of the first token ([CLS]). */
    CLS,
    /** The average of the vectors of the real (non-padding) tokens. */
    MEAN
}
