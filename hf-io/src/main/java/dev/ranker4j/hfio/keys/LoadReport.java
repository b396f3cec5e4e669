package dev.ranker4j.hfio.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How a checkpoint's keys compare with the parameter names a model expects, in the terms Hugging Face's
 * {@code from_pretrained} reports: <em>missing</em> keys (the model expects them, the checkpoint lacks them: they
 * would be newly initialised) and <em>unexpected</em> keys (the checkpoint has them, the model does not use them).
 *
 * @param prefix        the encoder prefix found in the checkpoint ("", "bert." or "distilbert.")
 * @param checkpointKey canonical name to the checkpoint key holding it, for every expected name that was found
 * @param missing       expected canonical names the checkpoint lacks, in the caller's order
 * @param unexpected    checkpoint keys (as stored) that map to no expected name, in checkpoint order
 * @param ignored       checkpoint keys dropped silently, as Hugging Face does (e.g. the {@code position_ids} buffer)
 */
public record LoadReport(String prefix, Map<String, String> checkpointKey, List<String> missing,
                         List<String> unexpected, List<String> ignored) {

    public LoadReport {
        checkpointKey = Map.copyOf(checkpointKey);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        ignored = List.copyOf(ignored);
    }

    /** True when every expected name was found. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /**
     * Fails unless every missing name is in {@code mayBeMissing} (e.g. a fresh classification head, which the
     * caller initialises itself).
     *
     * @param source names the checkpoint in the message
     */
    public void requireComplete(String source, Collection<String> mayBeMissing) throws CheckpointKeyException {
        List<String> required = new ArrayList<>(missing);
        required.removeAll(mayBeMissing);
        if (!required.isEmpty()) {
            throw new CheckpointKeyException(source + ": the checkpoint lacks " + required.size()
                    + " required weight(s) " + abbreviate(required) + " (encoder prefix found: '" + prefix + "'"
                    + (unexpected.isEmpty() ? "" : "; unused checkpoint keys: " + abbreviate(unexpected)) + ")", this);
        }
    }

    /** A Hugging Face style summary of the unused and the newly initialised weights; empty when there are none. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        if (!unexpected.isEmpty()) {
            text.append("Some weights of the checkpoint were not used: ").append(unexpected).append('\n');
        }
        if (!missing.isEmpty()) {
            text.append("Some weights of the model were not in the checkpoint (newly initialized): ")
                    .append(missing).append('\n');
        }
        return text.toString();
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 8 ? names.toString()
                : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }
}
