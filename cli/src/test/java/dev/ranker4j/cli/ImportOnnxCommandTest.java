package dev.ranker4j.cli;

import dev.ranker4j.hfio.onnx.BundledMiniLm;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ranker4j import-onnx} run in-process on the langchain4j all-MiniLM-L6-v2 export from the local Maven repository. */
class ImportOnnxCommandTest {
    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path extract(String entry) throws IOException {
        Path jar = BundledMiniLm.jarIn(BundledMiniLm.localMavenRepository());
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not in the local Maven repository");
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            Path target = temp.resolve(entry);
            Files.copy(in, target);
            return target;
        }
    }

    @Test
    void importsTheOnnxExportAndRefusesToOverwriteWithoutForce() throws IOException {
        Path onnx = extract("all-minilm-l6-v2.onnx"), tokenizer = extract("all-minilm-l6-v2-tokenizer.json");
        Path out = temp.resolve("minilm");

        Run first = run("import-onnx", onnx.toString(), tokenizer.toString(), out.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("wrote " + out), first.out());
        for (String file : new String[] {"model.safetensors", "config.json", "tokenizer.json", "vocab.txt",
                "tokenizer_config.json", "special_tokens_map.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"num_attention_heads\" : 12"));

        Run again = run("import-onnx", onnx.toString(), tokenizer.toString(), out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("not empty") && again.err().contains("--force"), again.err());

        Run forced = run("import-onnx", "--force", onnx.toString(), tokenizer.toString(), out.toString());
        assertEquals(0, forced.exit(), forced.err());
    }

    @Test
    void aBrokenOnnxFileIsAOneLineErrorAndWritesNothing() throws IOException {
        Path tokenizer = extract("all-minilm-l6-v2-tokenizer.json");
        Path broken = temp.resolve("broken.onnx");
        Files.write(broken, new byte[] {0x3a, 0x7f, 0x01});
        Run run = run("import-onnx", broken.toString(), tokenizer.toString(), temp.resolve("out").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("ranker4j import-onnx: " + broken), run.err());
        assertTrue(run.err().contains("declares 127 bytes"), run.err());
        assertTrue(Files.notExists(temp.resolve("out")));
    }
}
