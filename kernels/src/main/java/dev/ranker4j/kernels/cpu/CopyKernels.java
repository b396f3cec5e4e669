package dev.ranker4j.kernels.cpu;

import java.util.Arrays;

/**
 * Strided view → contiguous block, the kernel behind {@code contiguous()}. After {@link IndexSpace} has merged what
 * it can, a row whose source is contiguous (a permute that keeps the last axis, such as [B,T,H,D] → [B,H,T,D]
 * copying D-long rows) is one {@link System#arraycopy}, a broadcast row (stride 0) one {@link Arrays#fill}, and
 * anything else (a transpose of the last two axes) an element-by-element gather.
 *
 * <p>Bandwidth: a copy reads and writes 4 bytes per float; arraycopy runs near memory speed (~10 GB/s per core),
 * the element gather of a transpose touches a new cache line per element and runs several times slower.
 */
final class CopyKernels {
    private CopyKernels() {}

    static void copy(WorkSplit split, int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        IndexSpace space = IndexSpace.of("copy", shape, srcStrides);
        int len = space.rowLength(), stride = space.innerStride(0);
        space.forRowBlocks(split, new int[]{srcOff}, (walker, row, from, to) -> {
            int si = walker.position(0) + from * stride, di = dstOff + row * len + from, n = to - from;
            if (stride == 1) System.arraycopy(src, si, dst, di, n);
            else if (stride == 0) Arrays.fill(dst, di, di + n, src[si]);
            else for (int i = 0; i < n; i++) dst[di + i] = src[si + i * stride];
        });
    }

}
