package dev.ranker4j.transformer.bert;

import dev.ranker4j.hfio.config.TransformerConfig;

import java.io.IOException;
import java.nio.file.Path;

/** What {@link BertModel} and {@link DistilBertModel} share: a config and a forward from ids to hidden states. */
public interface TransformerEncoder {

    BertOutput forward(BertInput input, BertOutput.Options options);

    TransformerConfig config();

    /** Training mode (dropout on) or evaluation mode. */
    void train();

    void eval();

    /** Loads a BERT or DistilBERT directory, whichever its {@code config.json} declares. */
    static TransformerEncoder load(Path hfDirectory, LoadOptions options) throws IOException {
        Path directory = HfCheckpoint.modelDirectory(hfDirectory);
        return switch (dev.ranker4j.hfio.config.TransformerConfigJson.read(directory.resolve("config.json")).modelType()) {
            case BERT -> BertModel.load(hfDirectory, options);
            case DISTILBERT -> DistilBertModel.load(hfDirectory, options);
        };
    }
}
