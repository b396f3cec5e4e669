package dev.ranker4j.testkit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One random change to a file's bytes, as a fuzzer makes them: flip a bit, overwrite a byte, delete, duplicate or
 * insert a span (inserted text is drawn from what breaks parsers: quotes, braces, separators, line ends, a byte
 * order mark, invalid UTF-8, huge, negative, non-finite and non-numeric numbers, null), or cut the file short.
 *
 * @param kind     what the change does
 * @param position byte offset it starts at
 * @param length   bytes removed (delete, duplicate's source span)
 * @param bytes    bytes written or inserted
 */
public record Mutation(Kind kind, int position, int length, byte[] bytes) {

    public enum Kind { FLIP_BIT, SET_BYTE, DELETE, DUPLICATE, INSERT, TRUNCATE }

    /** Inserted at random places: what text parsers stumble on. */
    static final List<String> INSERTS = List.of("\"", "{", "}", "[", "]", ",", ":", " ", "  ", "\t", "\n", "\r", "\r\n",
            "\\", "\\u0000", "\uFEFF", "null", "true", "NaN", "Infinity", "-Infinity", "-1", "0", "-0", "1e999", "-1e999",
            "1.5", "2147483648", "99999999999999999999", "9223372036854775808", "\"\"", "{}", "[]", "\u00e9", "\u4e2d",
            "\uD83D\uDE00", "Q0", "query-id\tcorpus-id\tscore\n", "##");
    /** Bytes written over a byte: structure characters, digits, controls and invalid UTF-8. */
    static final byte[] BYTES = {0, 1, 9, 10, 13, ' ', '"', ',', ':', '{', '}', '[', ']', '0', '1', '9', '-', '.', 'e',
            'n', 'a', 'Z', (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xEF, (byte) 0xFF};

    /** The mutated bytes. */
    public byte[] apply(byte[] original) {
        int p = Math.min(position, original.length);
        return switch (kind) {
            case FLIP_BIT -> {
                byte[] out = original.clone();
                if (p < out.length) out[p] ^= bytes[0];
                yield out;
            }
            case SET_BYTE -> {
                byte[] out = original.clone();
                if (p < out.length) out[p] = bytes[0];
                yield out;
            }
            case DELETE -> concat(Arrays.copyOf(original, p), Arrays.copyOfRange(original, Math.min(original.length, p + length), original.length));
            case DUPLICATE -> {
                int end = Math.min(original.length, p + length);
                yield concat(Arrays.copyOf(original, end), Arrays.copyOfRange(original, p, original.length));
            }
            case INSERT -> concat(concat(Arrays.copyOf(original, p), bytes), Arrays.copyOfRange(original, p, original.length));
            case TRUNCATE -> Arrays.copyOf(original, p);
        };
    }

    /**
     * Whether the change touches bytes in {@code [from, to)}: a byte written there, a span removed from or copied out
     * of it, an insertion anywhere from {@code from} to {@code to} (its end included), or a cut of the file before
     * {@code to}.
     */
    public boolean touches(int from, int to) {
        return switch (kind) {
            case FLIP_BIT, SET_BYTE -> position >= from && position < to;
            case DELETE, DUPLICATE -> position < to && position + Math.max(length, 1) > from;
            case INSERT -> position >= from && position <= to;
            case TRUNCATE -> position < to;
        };
    }

    /** Changes at positions in {@code [0, size]}, each kind alike. */
    public static Arbitrary<Mutation> anywhere(int size) {
        return within(0, size, size);
    }

    /** Changes starting in {@code [from, to]} of a file of {@code size} bytes. */
    public static Arbitrary<Mutation> within(int from, int to, int size) {
        Arbitrary<Integer> position = Arbitraries.integers().between(from, Math.max(from, to));
        Arbitrary<Integer> span = Arbitraries.integers().between(1, 16);
        Arbitrary<Mutation> flip = Combinators.combine(position, Arbitraries.integers().between(0, 7))
                .as((p, bit) -> new Mutation(Kind.FLIP_BIT, p, 0, new byte[] {(byte) (1 << bit)}));
        Arbitrary<Mutation> set = Combinators.combine(position, Arbitraries.of(toList(BYTES)))
                .as((p, b) -> new Mutation(Kind.SET_BYTE, p, 0, new byte[] {b}));
        Arbitrary<Mutation> delete = Combinators.combine(position, span).as((p, n) -> new Mutation(Kind.DELETE, p, n, new byte[0]));
        Arbitrary<Mutation> duplicate = Combinators.combine(position, span).as((p, n) -> new Mutation(Kind.DUPLICATE, p, n, new byte[0]));
        Arbitrary<Mutation> insert = Combinators.combine(position, Arbitraries.of(INSERTS))
                .as((p, text) -> new Mutation(Kind.INSERT, p, 0, text.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Mutation> truncate = position.map(p -> new Mutation(Kind.TRUNCATE, Math.min(p, Math.max(0, size - 1)), 0, new byte[0]));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, flip), net.jqwik.api.Tuple.of(3, set), net.jqwik.api.Tuple.of(2, delete),
                net.jqwik.api.Tuple.of(1, duplicate), net.jqwik.api.Tuple.of(4, insert), net.jqwik.api.Tuple.of(1, truncate));
    }

    private static List<Byte> toList(byte[] values) {
        Byte[] boxed = new Byte[values.length];
        for (int i = 0; i < values.length; i++) boxed[i] = values[i];
        return List.of(boxed);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        String shown = kind == Kind.INSERT || kind == Kind.SET_BYTE || kind == Kind.FLIP_BIT
                ? " " + (bytes.length <= 12 ? HexFormat.ofDelimiter(" ").formatHex(bytes) : bytes.length + " bytes") : "";
        return kind + " at " + position + (length > 0 ? " length " + length : "") + shown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mutation m && m.kind == kind && m.position == position && m.length == length
                && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + position) * 31 + Arrays.hashCode(bytes);
    }
}
