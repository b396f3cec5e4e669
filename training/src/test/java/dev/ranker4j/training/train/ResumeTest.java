package dev.ranker4j.training.train;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.training.optim.LinearWarmupSchedule;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2N steps equal N steps + checkpoint + resume (into a differently initialised model) + N steps, bit for bit, and
 * a second run from the same seed equals the first: on the CPU backend (what users run, whose kernels give the same
 * bits whichever JIT tier runs them — the runs here start interpreted and end compiled) and on the reference
 * backend. What this pins down is the trainer's part (batches, dropout generators, optimizer moments, schedule and
 * step all resume exactly) and the kernels' (no result depends on timing or on JIT compilation).
 */
class ResumeTest {

    private static final int N = 3;

    private static BatchSource<PairBatch> data() {
        return index -> new PairBatch(TinyModels.input(1000 + index, 2 * 4, 12, 3, true), 4, null);
    }

    private static Trainer<PairBatch> trainer(CrossEncoder model, Path out) {
        AdamW adamw = new AdamW(model.namedParameters(), 1e-3, 0.01);
        TrainerOptions options = new TrainerOptions(2 * N, 2, 1.0, new LinearWarmupSchedule(1e-3, 2, 2 * N), 1, N, 0, out, null, false);
        return new Trainer<>(model, model::save, adamw, new CrossEncoderLceObjective(model), data(), options);
    }

    @ParameterizedTest(name = "{0} backend")
    @ValueSource(strings = {"cpu", "reference"})
    void resumingContinuesBitIdenticallyWithDropoutOn(String backendName, @TempDir Path dir) throws Exception {
        Backend previous = Backends.current();
        Backend backend = Backends.byName(backendName);
        Backends.setCurrent(backend);
        try {
            trainAndResume(dir);
        } finally {
            Backends.setCurrent(previous);
            if (backend instanceof AutoCloseable closeable) closeable.close();
        }
    }

    private static void trainAndResume(Path dir) throws IOException {
        double dropout = 0.1;
        CrossEncoder straight = CrossEncoder.fromConfig(TinyModels.config(dropout), 7, DType.F32);
        trainer(straight, dir.resolve("straight")).train();
        CrossEncoder again = CrossEncoder.fromConfig(TinyModels.config(dropout), 7, DType.F32);
        trainer(again, dir.resolve("again")).train();
        assertSameParameters(straight, again, "a second run from the same seed");

        CrossEncoder first = CrossEncoder.fromConfig(TinyModels.config(dropout), 7, DType.F32);
        Trainer.Result half = trainer(first, dir.resolve("split")).trainUntil(N);
        assertEquals(N, half.steps());
        Path checkpoint = half.lastCheckpoint();
        assertEquals(dir.resolve("split/checkpoint-" + N), checkpoint);

        CrossEncoder resumed = CrossEncoder.fromConfig(TinyModels.config(dropout), 99, DType.F32); // other init: all must come from the checkpoint
        Trainer<PairBatch> second = trainer(resumed, dir.resolve("split"));
        second.resume(checkpoint);
        second.train();

        assertSameParameters(straight, resumed, "2N steps vs N + resume + N");
        assertFalse(Arrays.equals(straight.namedParameters().get("classifier.weight").value().toFloatArray(),
                CrossEncoder.fromConfig(TinyModels.config(dropout), 7, DType.F32).namedParameters().get("classifier.weight").value().toFloatArray()),
                "training changed the parameters");
    }

    private static void assertSameParameters(CrossEncoder expected, CrossEncoder actual, String what) {
        Map<String, Parameter> a = expected.namedParameters(), b = actual.namedParameters();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).value().toFloatArray(), b.get(name).value().toFloatArray(), 0f, what + ": " + name);
        }
    }

    @Test
    void checkpointIsAHuggingFaceDirectoryThatLoadsBack(@TempDir Path dir) throws IOException {
        CrossEncoder model = CrossEncoder.fromConfig(TinyModels.config(0.0), 3, DType.F32);
        Trainer<PairBatch> t = trainer(model, dir);
        Path checkpoint = t.trainUntil(N).lastCheckpoint();
        for (String file : List.of("model.safetensors", "config.json", TrainerState.JSON_FILE, TrainerState.TENSOR_FILE)) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(file)), file);
        }
        String config = Files.readString(checkpoint.resolve("config.json"));
        assertTrue(config.contains("BertForSequenceClassification"), config);
        try (var leftovers = Files.list(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary directories remain");
        }
        CrossEncoder loaded = CrossEncoder.load(checkpoint, DType.F32, 0);
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            var input = TinyModels.input(5, 4, 12, 3, true);
            assertArrayEquals(model.score(input).value().toFloatArray(), loaded.score(input).value().toFloatArray(), 0f);
        }
        String log = Files.readString(dir.resolve("train_log.jsonl"));
        assertEquals(N, log.lines().count());
        assertTrue(log.contains("\"examples_per_s\""), log);
    }
}
