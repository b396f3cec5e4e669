package dev.ranker4j.hfio.hub;

import java.io.IOException;

/** A file that could not be resolved from the Hub or the cache; the message names the repository, revision and file. */
public class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The Hub answered 404 for this file (the repository or revision may exist). */
    public static final class NotFound extends HubException {
        public NotFound(String message) {
            super(message);
        }
    }
}
