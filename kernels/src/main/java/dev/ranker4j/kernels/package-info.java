/** Raw compute on flat arrays: the {@code Backend} SPI, SIMD and multithreaded CPU kernels, and a scalar reference beside each. Knows nothing of tensors. */
package dev.ranker4j.kernels;
