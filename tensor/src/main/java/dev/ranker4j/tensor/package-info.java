/** The n-dimensional Tensor: dtype, shape, strides, views, broadcasting; its ops dispatch to the kernels. */
package dev.ranker4j.tensor;
