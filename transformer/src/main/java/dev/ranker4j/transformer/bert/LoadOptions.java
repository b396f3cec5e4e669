package dev.ranker4j.transformer.bert;

import dev.ranker4j.tensor.DType;

/**
 * How to load an encoder from a Hugging Face directory.
 *
 * @param dtype  the parameters' dtype after loading (F32 for speed, F64 for exact checks); stored F16/BF16/F32/F64
 *               weights are converted (widening is exact; F64 to F32 rounds to nearest)
 * @param pooler whether the loaded model has a pooler (BERT only)
 * @param seed   seeds the initialisation of weights the checkpoint lacks (a pooler added by {@link PoolerChoice#ALWAYS})
 */
public record LoadOptions(DType dtype, PoolerChoice pooler, long seed) {

    /** F32, pooler as in the checkpoint. */
    public static final LoadOptions DEFAULT = new LoadOptions(DType.F32, PoolerChoice.FROM_CHECKPOINT, 0);

    public LoadOptions {
        if (dtype != DType.F32 && dtype != DType.F64) {
            throw new IllegalArgumentException("an encoder computes in F32 or F64, not " + dtype);
        }
        java.util.Objects.requireNonNull(pooler, "pooler");
    }

    public LoadOptions withDtype(DType newDtype) {
        return new LoadOptions(newDtype, pooler, seed);
    }

    public LoadOptions withPooler(PoolerChoice choice) {
        return new LoadOptions(dtype, choice, seed);
    }

    public LoadOptions withSeed(long newSeed) {
        return new LoadOptions(dtype, pooler, newSeed);
    }

    /** Whether the loaded model has a pooler (dense + tanh on [CLS]). */
    public enum PoolerChoice {
        /** A pooler exactly when the checkpoint has {@code pooler.dense.*} (all-MiniLM-L6-v2 has none). */
        FROM_CHECKPOINT,
        /** Always; randomly initialised (and reported missing) when the checkpoint has none: cross-encoders. */
        ALWAYS,
        /** Never; a checkpoint pooler is reported as unexpected. */
        NEVER
    }
}
