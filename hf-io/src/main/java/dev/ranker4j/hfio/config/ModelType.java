package dev.ranker4j.hfio.config;

import java.util.Optional;

/** The model families whose {@code config.json} ranker4j reads: the value of its {@code "model_type"} field. */
public enum ModelType {
    BERT("bert"), DISTILBERT("distilbert");

    private final String hfName;

    ModelType(String hfName) {
        this.hfName = hfName;
    }

    /** The {@code model_type} string Hugging Face uses. */
    public String hfName() {
        return hfName;
    }

    public static Optional<ModelType> fromHfName(String name) {
        for (ModelType type : values()) {
            if (type.hfName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
