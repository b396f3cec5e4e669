package dev.ranker4j.hfio.config;

/** A config value out of its allowed range; carries the JSON key so the reader can name the file and the field. */
final class InvalidConfigField extends IllegalArgumentException {
    private final String key;

    InvalidConfigField(String key, String problem) {
        super("field '" + key + "': " + problem);
        this.key = key;
    }

    String key() {
        return key;
    }
}
