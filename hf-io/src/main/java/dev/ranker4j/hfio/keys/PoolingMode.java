package dev.ranker4j.hfio.keys;

/** How a sentence encoder turns per-token vectors into one vector. */
public enum PoolingMode {
    /** The vector of the first token ([CLS]). */
    CLS,
    /** The average of the vectors of the real (non-padding) tokens. */
    MEAN
}
