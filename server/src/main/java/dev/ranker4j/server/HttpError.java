package dev.ranker4j.server;

/**
 * A request the server answers with an error: the HTTP status and the body
 * {@code {"error": message, "error_type": type}} (text-embeddings-inference's error shape).
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String type;

    HttpError(int status, String type, String message) {
        super(message, null, false, false); // an answer, not a failure: no stack trace
        this.status = status;
        this.type = type;
    }

    static HttpError malformed(String message) {
        return new HttpError(400, "Malformed", message);
    }

    static HttpError empty(String message) {
        return new HttpError(400, "Empty", message);
    }

    static HttpError unprocessable(String message) {
        return new HttpError(422, "Unprocessable", message);
    }

    static HttpError tooLarge(String message) {
        return new HttpError(413, "Validation", message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
