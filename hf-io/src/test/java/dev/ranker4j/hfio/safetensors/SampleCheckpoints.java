package dev.ranker4j.hfio.safetensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small checkpoints with one tensor of every dtype, for round-trip and fuzzing tests. */
final class SampleCheckpoints {
    private SampleCheckpoints() {}

    /** One tensor per dtype (plus a scalar and an empty tensor) filled from {@code seed}, including edge values. */
    static List<SafetensorsWriter.Entry> everyDtype(long seed) {
        Random random = new Random(seed);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        float[] floats = {0f, -0f, 1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN,
                random.nextFloat(), (float) random.nextGaussian(), 65504f, 1e-7f};
        entries.add(SafetensorsWriter.Entry.f32("f32", new long[] {3, 4}, floats));
        double[] doubles = {Math.PI, -Double.MIN_VALUE, Double.MAX_VALUE, random.nextGaussian(), 0.1, -7};
        entries.add(SafetensorsWriter.Entry.f64("f64", new long[] {2, 3}, doubles));
        entries.add(SafetensorsWriter.Entry.f16FromF32("f16", new long[] {12}, floats));
        entries.add(SafetensorsWriter.Entry.bf16FromF32("bf16", new long[] {2, 2, 3}, floats));
        entries.add(SafetensorsWriter.Entry.i64("i64", new long[] {4},
                new long[] {Long.MIN_VALUE, -1, random.nextLong(), Long.MAX_VALUE}));
        entries.add(SafetensorsWriter.Entry.i32("i32", new long[] {5},
                new int[] {Integer.MIN_VALUE, -1, 0, random.nextInt(), Integer.MAX_VALUE}));
        entries.add(new SafetensorsWriter.Entry("i16", SafetensorsDtype.I16, new long[] {3},
                new byte[] {0x00, (byte) 0x80, (byte) 0xFF, 0x7F, 0x01, 0x00}));
        entries.add(new SafetensorsWriter.Entry("i8", SafetensorsDtype.I8, new long[] {4},
                new byte[] {-128, -1, 0, 127}));
        entries.add(new SafetensorsWriter.Entry("u8", SafetensorsDtype.U8, new long[] {4},
                new byte[] {0, 1, (byte) 200, (byte) 255}));
        entries.add(new SafetensorsWriter.Entry("bool", SafetensorsDtype.BOOL, new long[] {2, 2},
                new byte[] {1, 0, 0, 1}));
        entries.add(SafetensorsWriter.Entry.f32("scalar", new long[] {}, new float[] {42f}));
        entries.add(SafetensorsWriter.Entry.f32("empty", new long[] {0, 5}, new float[0]));
        return entries;
    }
}
