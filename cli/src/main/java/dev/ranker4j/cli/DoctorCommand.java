package dev.ranker4j.cli;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.hfio.keys.CheckpointKeys;
import dev.ranker4j.hfio.keys.LoadReport;
import dev.ranker4j.hfio.keys.SentenceTransformersDirectory;
import dev.ranker4j.hfio.safetensors.SafetensorsDtype;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.Encoders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j doctor DIR}: checks a model directory the way every command would load it, and says what it found:
 * the architecture (config.json), what the weights hold (dtypes, a classification head, a ColBERT projection, a
 * pooler, sentence-transformers pooling), which model kind it can serve as, the weights that kind would miss or
 * leave unused, and whether the tokenizer agrees with the model and with itself (tokenizer.json against vocab.txt).
 * Exits 1 when a problem was found.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check a model directory: architecture, head, dtypes, missing/unused weights, tokenizer agreement.",
                "Loads it as every command would (non-finite or integer weights, shapes and layer counts are checked);"
                        + " exits 1 on a problem. Ends with one JSON line."})
final class DoctorCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR|ORG/NAME", description = "The model directory (or a Hub id).")
    Path model;

    @Spec
    CommandSpec spec;

    private final List<String> problems = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Path directory = ModelLocator.locate(model.toString());
        out.println("directory: " + directory);
        var st = SentenceTransformersDirectory.detect(directory);
        Path modelDirectory = st.map(SentenceTransformersDirectory::transformerDirectory).orElse(directory);
        st.ifPresent(s -> out.println("sentence-transformers: pooling " + s.pooling().name().toLowerCase(java.util.Locale.ROOT)
                + ", normalize " + s.normalize() + ", transformer in " + s.transformerDirectory()));
        TransformerConfig config = null;
        try {
            config = TransformerConfigJson.read(modelDirectory.resolve(TransformerConfigJson.FILE_NAME));
            out.printf(java.util.Locale.ROOT, "architecture: %s %s, %d layers, hidden %d, %d heads, intermediate %d,"
                            + " vocab %d, max positions %d%n", config.modelType().hfName(),
                    config.architectures().isEmpty() ? "(no architectures)" : config.architectures(), config.numLayers(),
                    config.hiddenSize(), config.numHeads(), config.intermediateSize(), config.vocabSize(), config.maxPositions());
        } catch (Exception e) {
            problem("config.json: " + Main.describe(e));
        }
        String kind = null;
        try (SafetensorsFile weights = SafetensorsFile.open(modelDirectory)) {
            Map<SafetensorsDtype, Integer> dtypes = new TreeMap<>();
            long parameters = 0;
            for (String name : weights.names()) {
                dtypes.merge(weights.info(name).dtype(), 1, Integer::sum);
                parameters += weights.info(name).elementCount();
            }
            out.println("weights: " + weights.names().size() + " tensors, " + parameters + " values, dtypes " + dtypes
                    + " (" + weights.source().getFileName() + ")");
            boolean classifier = weights.contains("classifier.weight");
            boolean projection = weights.contains("linear.weight");
            boolean pooler = weights.names().stream().anyMatch(k -> k.endsWith("pooler.dense.weight"));
            kind = classifier ? "cross_encoder" : projection ? "colbert" : "dual_encoder";
            out.println("head: " + (classifier ? "classification head (classifier.*): a cross-encoder"
                    : projection ? "ColBERT projection (linear.weight)"
                    : "none: an encoder (dual encoder / sentence encoder; a cross-encoder needs training first)")
                    + (pooler ? "; pooler present" : "; no pooler"));
            if (config != null) report(kind, config, weights);
        } catch (Exception e) {
            problem("weights: " + Main.describe(e));
        }
        if (kind != null && config != null) load(kind, directory);
        tokenizer(modelDirectory, config);
        out.println(problems.isEmpty() ? "ok: no problem found" : problems.size() + " problem(s):");
        for (String p : problems) out.println("  - " + p);
        out.println("{\"directory\":" + Json.quote(directory.toString()) + ",\"kind\":" + (kind == null ? "null" : Json.quote(kind))
                + ",\"problems\":" + problems.size() + "}");
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    private void problem(String text) {
        problems.add(text);
    }

    /** Missing and unused weights for the model kind the head suggests, as Hugging Face would report them. */
    private void report(String kind, TransformerConfig config, SafetensorsFile weights) {
        var out = spec.commandLine().getOut();
        List<String> expected = new ArrayList<>();
        switch (kind) {
            case "cross_encoder" -> CrossEncoder.fromConfig(config, 0, DType.F32).namedParameters().keySet()
                    .forEach(n -> expected.add(n.replaceFirst("^(bert|distilbert)\\.", "")));
            case "colbert" -> Colbert.fromConfig(config, Math.toIntExact(weights.info("linear.weight").shape()[0]), 0, DType.F32)
                    .namedParameters().keySet().forEach(n -> expected.add(n.replaceFirst("^bert\\.", "")));
            default -> Encoders.fromConfig(config, 0, DType.F32, weights.names().stream().anyMatch(k -> k.endsWith("pooler.dense.weight")))
                    .namedParameters().keySet().forEach(expected::add);
        }
        LoadReport report = CheckpointKeys.match(weights.names(), expected);
        out.println("missing weights (" + kind + "): " + (report.missing().isEmpty() ? "none" : abbreviate(report.missing())));
        out.println("unused weights (" + kind + "): " + (report.unexpected().isEmpty() ? "none" : abbreviate(report.unexpected())));
        if (!report.missing().isEmpty()) problem("the weights lack " + report.missing().size() + " weight(s) of a " + kind + ": " + abbreviate(report.missing()));
    }

    /** Loads the directory as the commands would; every check of the loaders applies. */
    private void load(String kind, Path directory) {
        var out = spec.commandLine().getOut();
        try {
            switch (kind) {
                case "cross_encoder" -> CrossEncoder.load(directory, DType.F32, 0);
                case "colbert" -> Colbert.load(directory, DType.F32);
                default -> SentenceEncoder.load(directory);
            }
            out.println("load as " + kind + ": ok (dtypes, shapes, layer count, finite values)");
        } catch (Exception e) {
            problem("loading as " + kind + ": " + Main.describe(e));
        }
    }

    /** The tokenizer loads, fits the model's vocabulary and positions, and its two files (when both exist) agree. */
    private void tokenizer(Path directory, TransformerConfig config) {
        var out = spec.commandLine().getOut();
        if (!WordPieceTokenizer.presentIn(directory)) {
            problem("no tokenizer (tokenizer.json or vocab.txt) in " + directory);
            return;
        }
        WordPieceTokenizer tokenizer;
        try {
            tokenizer = WordPieceTokenizer.fromDirectory(directory);
        } catch (Exception e) {
            problem("tokenizer: " + Main.describe(e));
            return;
        }
        out.println("tokenizer: " + (Files.isRegularFile(directory.resolve("tokenizer.json")) ? "tokenizer.json" : "vocab.txt")
                + ", " + tokenizer.vocabSize() + " ids, model_max_length "
                + (tokenizer.modelMaxLength().isPresent() ? tokenizer.modelMaxLength().getAsInt() : "not set"));
        for (String special : List.of("[CLS]", "[SEP]", "[PAD]", "[UNK]")) {
            if (tokenizer.tokenToId(special) < 0) problem("tokenizer: no " + special + " token");
        }
        if (config != null) {
            if (tokenizer.vocabSize() > config.vocabSize()) {
                problem("tokenizer ids go up to " + (tokenizer.vocabSize() - 1) + " but config.json's vocab_size is "
                        + config.vocabSize() + " (they do not belong together)");
            }
            if (tokenizer.modelMaxLength().isPresent() && tokenizer.modelMaxLength().getAsInt() > config.maxPositions()) {
                problem("tokenizer_config.json's model_max_length " + tokenizer.modelMaxLength().getAsInt()
                        + " exceeds config.json's max_position_embeddings " + config.maxPositions());
            }
        }
        Path json = directory.resolve("tokenizer.json"), vocab = directory.resolve("vocab.txt");
        if (Files.isRegularFile(json) && Files.isRegularFile(vocab)) {
            try {
                List<String> lines = Files.readAllLines(vocab);
                if (!lines.isEmpty()) lines.set(0, lines.getFirst().replace("\uFEFF", ""));
                Map<String, Integer> last = new java.util.HashMap<>(); // later duplicates win, as in HF
                for (int id = 0; id < lines.size(); id++) last.put(lines.get(id), id);
                int disagree = 0;
                String first = null;
                for (int id = 0; id < lines.size(); id++) {
                    String token = lines.get(id);
                    if (last.get(token) == id && tokenizer.tokenToId(token) != id) {
                        disagree++;
                        if (first == null) first = "'" + token + "' is id " + id + " in vocab.txt but "
                                + tokenizer.tokenToId(token) + " in tokenizer.json";
                    }
                }
                if (disagree > 0) problem("tokenizer.json and vocab.txt disagree on " + disagree + " token(s), e.g. " + first);
                else out.println("tokenizer.json and vocab.txt agree on all " + lines.size() + " tokens");
            } catch (Exception e) {
                problem("vocab.txt: " + Main.describe(e));
            }
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? names.toString() : names.subList(0, 6) + " and " + (names.size() - 6) + " more";
    }
}
