package dev.ranker4j.tokenizer;

import java.util.Arrays;

/** A growable {@code int[]}: the token ids of one sequence while it is being built, without boxing. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    /** A list holding a copy of {@code values}. */
    static IntList of(int[] values) {
        IntList list = new IntList(values.length);
        for (int value : values) list.add(value);
        return list;
    }

    void add(int value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    /** Keeps the first {@code length} values (HF truncation, direction right, no stride). */
    void truncate(int length) {
        size = Math.min(size, length);
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
