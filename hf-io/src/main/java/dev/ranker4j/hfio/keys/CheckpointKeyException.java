package dev.ranker4j.hfio.keys;

import java.io.IOException;

/** A checkpoint lacks weights the model requires; {@link #report()} has the full comparison. */
public final class CheckpointKeyException extends IOException {
    private final LoadReport report;

    public CheckpointKeyException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
