/**
 * The n-dimensional {@link dev.ranker4j.tensor.Tensor}: dtype, shape, strides, views, broadcasting; its ops dispatch
 * to the kernels of {@link dev.ranker4j.kernels.Backends#current()}.
 *
 * <p>Start at {@code Tensor} (factories, views, and a one-line entry point per op); each op family lives in its own
 * package-private class named after it ({@code Elementwise}, {@code Reductions}, {@code TensorMatmul},
 * {@code TensorSoftmax}, {@code TensorLayerNorm}, {@code TensorEmbedding}, {@code TensorAttention}, {@code Joining},
 * {@code Conversions}); the backward halves of the fused ops are reached through {@code Gradients}. {@code Shape}
 * holds the broadcasting and stride arithmetic, {@code SeededRandom} the reproducible random initialisation and
 * dropout masks.
 */
package dev.ranker4j.tensor;
