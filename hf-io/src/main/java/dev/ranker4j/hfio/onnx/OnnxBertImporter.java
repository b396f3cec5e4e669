package dev.ranker4j.hfio.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.hfio.safetensors.SafetensorsDtype;
import dev.ranker4j.hfio.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Imports a BERT ONNX export (torch.onnx / optimum / Xenova layout) and its {@code tokenizer.json} as a Hugging Face
 * model directory: {@code model.safetensors}, {@code config.json}, {@code tokenizer.json}, {@code vocab.txt},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}.
 *
 * <p>Weights are mapped by {@link OnnxWeightMapper} and written in name order with {@code {"format":"pt"}} metadata,
 * as {@code save_pretrained} writes them; the config is recovered by {@link BertGraphConfig}. The directory appears
 * all at once: everything is written into a hidden sibling directory that is then renamed into place, so a failure
 * never leaves a half-written model and an existing one is only replaced on request.
 */
public final class OnnxBertImporter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OnnxBertImporter() {}

    /** A converted model, in memory. {@code parameters} are sorted by name. */
    public record ImportedBert(SortedMap<String, HfTensor> parameters, ObjectNode config, HfTokenizerFiles tokenizer) {}

    /** Converts a parsed model; fails with the offending node or initializer named when the graph is not a BertModel. */
    public static ImportedBert convert(OnnxModel model, HfTokenizerFiles tokenizer) {
        SortedMap<String, HfTensor> parameters = OnnxWeightMapper.parameters(model.graph());
        ObjectNode config = BertGraphConfig.infer(parameters, model.graph(), tokenizer.padTokenId());
        long vocabSize = config.path("vocab_size").asLong();
        if (vocabSize != tokenizer.vocabularySize()) {
            throw new OnnxFormatException("the word embeddings have " + vocabSize + " rows but tokenizer.json has "
                    + tokenizer.vocabularySize() + " tokens: tokenizer and model do not belong together");
        }
        return new ImportedBert(parameters, config, tokenizer);
    }

    /**
     * Reads {@code onnxFile} and {@code tokenizerJson} and writes the HF directory {@code outDir}.
     *
     * @param replaceExisting whether a non-empty {@code outDir} may be replaced (it is refused otherwise)
     * @return the absolute output directory
     */
    public static Path importDirectory(Path onnxFile, Path tokenizerJson, Path outDir, boolean replaceExisting)
            throws IOException {
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IOException(target + " exists and is not a directory");
        }
        if (!replaceExisting && !isEmptyOrAbsent(target)) {
            throw new IOException(target + " exists and is not empty; choose another directory or replace it (--force)");
        }
        HfTokenizerFiles tokenizer = HfTokenizerFiles.read(tokenizerJson);
        ImportedBert imported = convert(OnnxParser.read(onnxFile), tokenizer);
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".importing-");
        try {
            write(imported, staging);
            replaceDirectory(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            throw e;
        }
        return target;
    }

    /** Writes the six files of {@code imported} into the existing directory {@code dir}. */
    public static void write(ImportedBert imported, Path dir) throws IOException {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (HfTensor tensor : imported.parameters().values()) {
            entries.add(new SafetensorsWriter.Entry(tensor.name(), safetensorsDtype(tensor), tensor.shape(),
                    tensor.littleEndianData()));
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("format", "pt"), entries);
        JSON.writeValue(dir.resolve("config.json").toFile(), imported.config());
        HfTokenizerFiles tokenizer = imported.tokenizer();
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer.tokenizerJson());
        Files.writeString(dir.resolve("vocab.txt"), tokenizer.vocabTxt(), StandardCharsets.UTF_8);
        long maxLength = imported.config().path("max_position_embeddings").asLong();
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizer.tokenizerConfig(maxLength));
        JSON.writeValue(dir.resolve("special_tokens_map.json").toFile(), tokenizer.specialTokensMap());
    }

    static SafetensorsDtype safetensorsDtype(HfTensor tensor) {
        return switch (tensor.dataType()) {
            case FLOAT -> SafetensorsDtype.F32;
            case FLOAT16 -> SafetensorsDtype.F16;
            case BFLOAT16 -> SafetensorsDtype.BF16;
            case DOUBLE -> SafetensorsDtype.F64;
            case INT64 -> SafetensorsDtype.I64;
            case INT32 -> SafetensorsDtype.I32;
            case INT16 -> SafetensorsDtype.I16;
            case INT8 -> SafetensorsDtype.I8;
            case UINT8 -> SafetensorsDtype.U8;
            case BOOL -> SafetensorsDtype.BOOL;
            case UINT16, UINT32, UINT64 -> throw new OnnxFormatException("parameter '" + tensor.name() + "' is "
                    + tensor.dataType() + ", which Hugging Face checkpoints do not use");
        };
    }

    private static boolean isEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) return true;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Renames {@code staging} to {@code target}; an existing {@code target} is first renamed aside and deleted only
     * once the new directory is in place (and renamed back if that fails).
     */
    private static void replaceDirectory(Path staging, Path target) throws IOException {
        Path aside = null;
        if (Files.exists(target)) {
            aside = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(aside); // only the unique name is wanted
            atomicMove(target, aside);
        }
        try {
            atomicMove(staging, target);
        } catch (IOException e) {
            if (aside != null) atomicMove(aside, target);
            throw e;
        }
        if (aside != null) deleteRecursively(aside);
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }
}
