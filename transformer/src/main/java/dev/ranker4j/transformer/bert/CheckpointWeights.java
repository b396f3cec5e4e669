package dev.ranker4j.transformer.bert;

import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.keys.CheckpointKeys;
import dev.ranker4j.hfio.safetensors.SafetensorsDtype;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsTensorInfo;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks every model loader applies to the weights it reads, so that a checkpoint either loads as the model it
 * claims to be or fails naming the file and the tensor:
 * <ul>
 *   <li>a parameter is stored with a floating-point dtype (an I32 tensor has F32's byte size, and would otherwise be
 *       read as integers converted to floats);</li>
 *   <li>it has the shape config.json gives the model;</li>
 *   <li>every value is finite (NaN weights would turn every output into NaN);</li>
 *   <li>no encoder weight of the checkpoint is left unread (a config.json with fewer layers than the weights would
 *       otherwise silently drop the upper layers). Heads of other tasks ({@code cls.*}, a classifier read by an
 *       encoder) and a pooler the model has no use for are left unread as Hugging Face does.</li>
 * </ul>
 */
public final class CheckpointWeights {
    private static final Pattern LAYER = Pattern.compile("^(?:encoder|transformer)\\.layer\\.(\\d{1,9})\\.");

    private CheckpointWeights() {}

    /** The value of model parameter {@code parameter} from checkpoint key {@code key}, checked as above. */
    public static Tensor read(SafetensorsFile weights, String key, String parameter, int[] shape, DType dtype)
            throws CheckpointException {
        SafetensorsTensorInfo info = weights.info(key);
        SafetensorsDtype stored = info.dtype();
        if (!stored.isFloatingPoint()) {
            throw new CheckpointException(weights.source(), "tensor '" + key + "' is stored as " + stored
                    + ", but the weight " + parameter + " is a float (F32, F16, BF16 or F64)");
        }
        int[] found = new int[info.rank()];
        for (int i = 0; i < found.length; i++) {
            if (info.shape()[i] > Integer.MAX_VALUE) {
                throw new CheckpointException(weights.source(), "tensor '" + key + "' has shape "
                        + Arrays.toString(info.shape()) + ", too large for " + parameter);
            }
            found[i] = (int) info.shape()[i];
        }
        if (!Arrays.equals(found, shape)) {
            throw new CheckpointException(weights.source(), "tensor '" + key + "' has shape " + Arrays.toString(found)
                    + " but config.json makes the model's " + parameter + " " + Arrays.toString(shape)
                    + " (config.json and the weights disagree)");
        }
        // readF32/readF64 return a fresh array (one copy out of the mapped file): wrap it, do not copy it again.
        if (dtype == DType.F64) {
            double[] values = weights.readF64(key);
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) throw nonFinite(weights, key, shape, i, values[i]);
            }
            return Tensor.wrap(values, shape);
        }
        float[] values = weights.readF32(key);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw nonFinite(weights, key, shape, i, values[i]);
        }
        return Tensor.wrap(values, shape);
    }

    private static CheckpointException nonFinite(SafetensorsFile weights, String key, int[] shape, int flat, double value) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1, rest = flat; d >= 0; d--) {
            index[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return new CheckpointException(weights.source(), "tensor '" + key + "' holds " + value + " at "
                + Arrays.toString(index) + " (a weight must be finite)");
    }

    /**
     * Fails when {@code unreadKeys} (checkpoint keys as stored, under encoder prefix {@code prefix}) include encoder
     * weights ({@code embeddings.*}, {@code encoder.layer.*}, {@code transformer.layer.*}) other than those
     * {@code deliberatelyUnread} accepts (e.g. the upper layers of a teacher a student is cut from).
     */
    public static void requireNoUnreadEncoderWeights(SafetensorsFile weights, Collection<String> unreadKeys,
                                                     String prefix, TransformerConfig config,
                                                     Predicate<String> deliberatelyUnread) throws CheckpointException {
        List<String> unread = new ArrayList<>();
        TreeSet<Integer> extraLayers = new TreeSet<>();
        for (String key : unreadKeys) {
            String name = CheckpointKeys.canonical(key, prefix);
            boolean encoderWeight = name.startsWith("encoder.layer.") || name.startsWith("transformer.layer.")
                    || (name.startsWith("embeddings.") && !name.endsWith("position_ids"));
            if (!encoderWeight || deliberatelyUnread.test(name)) continue;
            unread.add(key);
            int layer = layerIndex(name);
            if (layer >= 0) extraLayers.add(layer);
        }
        if (unread.isEmpty()) return;
        String layersKey = config.modelType() == ModelType.BERT ? "num_hidden_layers" : "n_layers";
        if (!extraLayers.isEmpty() && extraLayers.first() >= config.numLayers()) {
            throw new CheckpointException(weights.source(), "holds transformer layers up to " + extraLayers.last()
                    + " but config.json's " + layersKey + " is " + config.numLayers() + ": layers "
                    + extraLayers.first() + ".." + extraLayers.last() + " would be silently unused (fix config.json; a"
                    + " student cut from this model asks for it with \"layers\": " + config.numLayers() + ")");
        }
        throw new CheckpointException(weights.source(), unread.size() + " encoder weight(s) would be silently unused: "
                + (unread.size() <= 6 ? unread : unread.subList(0, 6) + " and " + (unread.size() - 6) + " more")
                + " (config.json and the weights disagree)");
    }

    /** The transformer layer a canonical name belongs to, or -1. */
    public static int layerIndex(String canonicalName) {
        Matcher m = LAYER.matcher(canonicalName);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
