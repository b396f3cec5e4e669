package dev.ranker4j.training.reference;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.training.loss.PointwiseBceLoss;
import dev.ranker4j.training.loss.RocketQaV2Loss;
import dev.ranker4j.training.loss.TasBalancedLoss;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.training.optim.WeightDecayPolicy;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;
import dev.ranker4j.transformer.ranking.DualEncoderSimilarity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * The four training cases of ../shared/reference/training (float64 PyTorch debug states, see its MANIFEST.json):
 * scores and losses, EVERY parameter gradient, and for cross_encoder_lce the AdamW update, in F64 (scores/losses
 * relative 1e-10; gradients within 1e-8 of the largest magnitude of the case's gradient, each line also showing the
 * difference relative to the tensor's own largest magnitude) and in F32 (1e-4). A parameter the reference has and we
 * lack, or the reverse, fails the test.
 */
class TrainingReferenceTest {

    /** Tolerances per precision: values relative, gradients and updates relative to the tensor's max magnitude. */
    enum Precision {
        F64(DType.F64, 1e-10, 1e-8), F32(DType.F32, 1e-4, 1e-4);
        final DType dtype;
        final double values, gradients;

        Precision(DType dtype, double values, double gradients) {
            this.dtype = dtype;
            this.values = values;
            this.gradients = gradients;
        }
    }

    private static Path reference(String file) {
        return SharedData.require("reference/training/" + file);
    }

    private static TransformerConfig config() throws IOException {
        return TransformerConfigJson.read(reference("config.json"));
    }

    private static Tensor read(SafetensorsFile file, String name) {
        if (!file.contains(name)) throw new AssertionError(file.source() + " has no tensor '" + name + "'");
        int[] shape = Arrays.stream(file.info(name).shape()).mapToInt(Math::toIntExact).toArray();
        return switch (file.info(name).dtype()) {
            case I64 -> Tensor.fromArray(file.readI64(name), shape);
            default -> Tensor.fromArray(file.readF64(name), shape);
        };
    }

    /** Sets every parameter of {@code model} from {@code prefix + name} (after renaming), failing loudly if absent. */
    private static void loadParameters(Module model, SafetensorsFile file, String prefix, java.util.function.UnaryOperator<String> rename, DType dtype) {
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String key = prefix + rename.apply(e.getKey());
            e.getValue().set(read(file, key).to(dtype));
        }
    }

    /** The largest magnitude over every reference tensor whose name starts with {@code prefix}. */
    private static double maxMagnitude(SafetensorsFile file, String prefix) {
        double max = 0;
        for (String key : file.names()) if (key.startsWith(prefix)) max = Math.max(max, ReferenceComparison.maxAbs(read(file, key)));
        return max;
    }

    /**
     * Every reference gradient under {@code gradPrefix} matches ours within tolerance · (the largest magnitude of the
     * case's whole gradient), and no parameter of ours got a gradient the reference lacks. Returns the parameters
     * whose gradient is zero in exact arithmetic (reference below 1e-12 of that scale: the key biases, since softmax
     * ignores a constant added to a row of attention scores, and the classifier bias under a softmax loss); both
     * sides hold only rounding noise there.
     */
    private static java.util.Set<String> compareGradients(ReferenceComparison cmp, Module model, SafetensorsFile file, String gradPrefix,
                                                          java.util.function.UnaryOperator<String> rename, Precision precision) {
        double scale = maxMagnitude(file, "grad.");
        TreeSet<String> expected = new TreeSet<>();
        for (String key : file.names()) if (key.startsWith(gradPrefix)) expected.add(key.substring(gradPrefix.length()));
        if (expected.isEmpty()) throw new AssertionError("no gradients under '" + gradPrefix + "' in " + file.source());
        java.util.Set<String> zero = new java.util.HashSet<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String name = rename.apply(e.getKey());
            if (expected.remove(name)) {
                Tensor reference = read(file, gradPrefix + name);
                if (ReferenceComparison.maxAbs(reference) < 1e-12 * scale) zero.add(e.getKey());
                cmp.scaled("grad." + name, e.getValue().grad(), reference, precision.gradients, scale);
            } else if (e.getValue().grad() != null) {
                cmp.missing("grad." + name, "we have a gradient, the reference has none");
            }
        }
        for (String name : expected) cmp.missing("grad." + name, "the reference has a gradient for a parameter we do not have");
        return zero;
    }

    private static BertInput pairs(SafetensorsFile f, String ids, String mask, String types) {
        return new BertInput(read(f, ids), read(f, mask), types == null ? null : read(f, types));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void crossEncoderLce(Precision precision) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(reference("cross_encoder_lce.safetensors"))) {
            ReferenceComparison cmp = new ReferenceComparison("cross_encoder_lce/" + precision);
            CrossEncoder model = CrossEncoder.fromConfig(config(), 0, precision.dtype);
            loadParameters(model, f, "", n -> n, precision.dtype);
            Variable scores = model.score(pairs(f, "input.input_ids", "input.attention_mask", "input.token_type_ids"));
            Variable loss = new LocalizedContrastiveLoss(4).compute(scores);
            cmp.relative("output.scores", scores.value(), read(f, "output.scores"), precision.values);
            cmp.relative("output.loss", loss.value().reshape(1), read(f, "output.loss"), precision.values);
            loss.backward();
            java.util.Set<String> zeroGradients = compareGradients(cmp, model, f, "grad.", n -> n, precision);

            AdamW adamw = new AdamW(model.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01, WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT);
            adamw.step();
            double parameterScale = maxMagnitude(f, "after_adamw.");
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                Tensor reference = read(f, "after_adamw." + e.getKey());
                if (precision == Precision.F32 && zeroGradients.contains(e.getKey())) {
                    cmp.boundedByLearningRate("after_adamw." + e.getKey(), e.getValue().value(), reference, 1e-3);
                } else {
                    cmp.scaled("after_adamw." + e.getKey(), e.getValue().value(), reference, precision.gradients, parameterScale);
                }
            }
            cmp.assertAllOk();
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void crossEncoderBce(Precision precision) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(reference("cross_encoder_bce.safetensors"))) {
            ReferenceComparison cmp = new ReferenceComparison("cross_encoder_bce/" + precision);
            CrossEncoder model = CrossEncoder.fromConfig(config(), 0, precision.dtype);
            loadParameters(model, f, "", n -> n, precision.dtype);
            Variable scores = model.score(pairs(f, "input.input_ids", "input.attention_mask", "input.token_type_ids"));
            Variable loss = new PointwiseBceLoss().compute(scores, read(f, "input.labels"));
            cmp.relative("output.scores", scores.value(), read(f, "output.scores"), precision.values);
            cmp.relative("output.loss", loss.value().reshape(1), read(f, "output.loss"), precision.values);
            loss.backward();
            compareGradients(cmp, model, f, "grad.", n -> n, precision);
            cmp.assertAllOk();
        }
    }

    /** DualEncoder names its shared tower "encoder."; the reference stores the bare BertModel's names. */
    private static String bareEncoderName(String name) {
        return name.startsWith("encoder.") ? name.substring("encoder.".length()) : name;
    }

    private static DualEncoder sharedCls(DType dtype) throws IOException {
        return new DualEncoder(BertModel.fromConfig(config(), 0, dtype, true), null, PoolingMode.CLS, DualEncoderSimilarity.DOT);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void dualEncoderTasBalanced(Precision precision) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(reference("dual_encoder_tasb.safetensors"))) {
            ReferenceComparison cmp = new ReferenceComparison("dual_encoder_tasb/" + precision);
            DualEncoder model = sharedCls(precision.dtype);
            loadParameters(model, f, "", TrainingReferenceTest::bareEncoderName, precision.dtype);
            Variable scores = model.scoreMatrix(pairs(f, "input.query_ids", "input.query_mask", null),
                    pairs(f, "input.passage_ids", "input.passage_mask", null));
            TasBalancedLoss.Parts loss = new TasBalancedLoss(0.75).compute(scores, read(f, "input.teacher_pos"),
                    read(f, "input.teacher_neg"), read(f, "input.inbatch_teacher"));
            cmp.relative("output.scores", scores.value(), read(f, "output.scores"), precision.values);
            cmp.relative("output.loss_pair", loss.pairwise().value().reshape(1), read(f, "output.loss_pair"), precision.values);
            cmp.relative("output.loss_inbatch", loss.inBatch().value().reshape(1), read(f, "output.loss_inbatch"), precision.values);
            cmp.relative("output.loss", loss.loss().value().reshape(1), read(f, "output.loss"), precision.values);
            loss.loss().backward();
            compareGradients(cmp, model, f, "grad.", TrainingReferenceTest::bareEncoderName, precision);
            cmp.assertAllOk();
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void jointRocketQaV2(Precision precision) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(reference("joint_rocketqav2.safetensors"))) {
            ReferenceComparison cmp = new ReferenceComparison("joint_rocketqav2/" + precision);
            DualEncoder retriever = sharedCls(precision.dtype);
            CrossEncoder reranker = CrossEncoder.fromConfig(config(), 0, precision.dtype);
            loadParameters(retriever, f, "retriever.", TrainingReferenceTest::bareEncoderName, precision.dtype);
            loadParameters(reranker, f, "reranker.", n -> n, precision.dtype);

            int queries = 2, list = 4;
            Variable q = retriever.encodeQueries(pairs(f, "input.query_ids", "input.query_mask", null));            // [2, d]
            Variable p = retriever.encodePassages(pairs(f, "input.passage_ids", "input.passage_mask", null));       // [8, d]
            int d = q.shape()[1];
            Variable sDe = q.unsqueeze(1).mul(p.reshape(queries, list, d)).sum(2);                                   // [2, 4]
            Variable sCe = reranker.score(pairs(f, "input.pair_ids", "input.pair_mask", "input.pair_types")).reshape(queries, list);
            RocketQaV2Loss.Parts loss = new RocketQaV2Loss().compute(sDe, sCe);
            cmp.relative("output.s_de", sDe.value(), read(f, "output.s_de"), precision.values);
            cmp.relative("output.s_ce", sCe.value(), read(f, "output.s_ce"), precision.values);
            cmp.relative("output.loss_kl", loss.kl().value().reshape(1), read(f, "output.loss_kl"), precision.values);
            cmp.relative("output.loss_sup", loss.supervised().value().reshape(1), read(f, "output.loss_sup"), precision.values);
            cmp.relative("output.loss", loss.loss().value().reshape(1), read(f, "output.loss"), precision.values);
            loss.loss().backward();
            compareGradients(cmp, retriever, f, "grad.retriever.", TrainingReferenceTest::bareEncoderName, precision);
            compareGradients(cmp, reranker, f, "grad.reranker.", n -> n, precision);
            cmp.assertAllOk();
        }
    }
}
