package dev.ranker4j.cli;

import dev.ranker4j.hfio.onnx.OnnxBertImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j import-onnx MODEL.onnx TOKENIZER.json OUT_DIR}: a BERT ONNX export to a Hugging Face directory. */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = {"Convert a BERT ONNX export (torch.onnx / optimum / Xenova layout) and its tokenizer.json into a"
                + " Hugging Face model directory: model.safetensors, config.json and the tokenizer files.",
                "OUT_DIR appears complete or not at all; an existing non-empty OUT_DIR is only replaced with --force."})
public final class ImportOnnxCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path onnx;

    @Parameters(index = "1", paramLabel = "TOKENIZER.json", description = "its Hugging Face tokenizer.json (WordPiece)")
    Path tokenizer;

    @Parameters(index = "2", paramLabel = "OUT_DIR", description = "the directory to create")
    Path outDir;

    @Option(names = "--force", description = "replace OUT_DIR if it exists and is not empty")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        new OutputPaths().input("MODEL.onnx", onnx).input("TOKENIZER.json", tokenizer).directory("OUT_DIR", outDir);
        Path written = OnnxBertImporter.importDirectory(onnx, tokenizer, outDir, force);
        spec.commandLine().getOut().println("wrote " + written);
        return 0;
    }
}
