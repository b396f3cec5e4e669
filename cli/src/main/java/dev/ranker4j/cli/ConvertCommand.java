package dev.ranker4j.cli;

import dev.ranker4j.ir.data.FormatConverter.Format;
import dev.ranker4j.ir.data.FormatConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j convert}: between run, qrels and candidate formats; the output is written atomically. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert between run, qrels and candidate formats (output written atomically).",
                "Formats: scores, trec-run, msmarco-run, trec-qrels, beir-qrels, rankllm, msmarco-topk.",
                "Supported: scores|trec-run|msmarco-run -> trec-run|msmarco-run; rankllm -> trec-run|msmarco-run|"
                        + "msmarco-topk; trec-qrels <-> beir-qrels. Runs are re-ranked by score (ties: docid"
                        + " descending, as trec_eval)."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FORMAT", description = "Input format.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Output format.")
    String to;

    @Option(names = "--tag", defaultValue = "ranker4j", description = "Run tag for TREC runs (default: ${DEFAULT-VALUE}).")
    String tag;

    @Parameters(index = "0", paramLabel = "IN", description = "Input file.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file (replaced atomically).")
    Path out;

    @Override
    public Integer call() {
        new OutputPaths().input("IN", in).file("OUT", out);
        Format source = Format.parse(from);
        Format target = Format.parse(to);
        FormatConverter.convert(source, target, in, out, tag);
        spec.commandLine().getOut().println("wrote " + out + " (" + target.cliName() + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
