package dev.ranker4j.hfio.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON header of a safetensors file.
 *
 * <p>The file layout is {@code [u64 little-endian N][N bytes of UTF-8 JSON][data]}. The JSON is an object mapping
 * each tensor name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}}, with offsets in
 * bytes relative to the start of the data section, plus an optional {@code "__metadata__"} object of string
 * values. The header may be padded with trailing spaces.
 *
 * <p>After parsing, every tensor is known to be well-formed and readable: its byte range lies inside the data
 * section, holds exactly {@code product(shape) * dtype size} bytes, and the ranges sorted by offset tile the data
 * section from its first to its last byte with no gap and no overlap (the same rule as the reference
 * implementation). Nothing read later can fail on a file that passed.
 */
final class SafetensorsHeader {
    /** The reference implementation refuses headers above 100 MB; a larger one signals a corrupt length field. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A tensor's description and its byte range {@code [begin, end)} within the data section. */
    record Slot(SafetensorsTensorInfo info, long begin, long end) {}

    /** The parsed header: metadata, and the tensors in the order the header lists them. */
    record Parsed(Map<String, String> metadata, List<Slot> tensors) {}

    private final Path file;

    private SafetensorsHeader(Path file) {
        this.file = file;
    }

    /**
     * Parses {@code headerBytes} (the N bytes after the length field) of {@code file}, whose data section is
     * {@code dataBytes} long.
     */
    static Parsed parse(Path file, byte[] headerBytes, long dataBytes) throws SafetensorsFormatException {
        return new SafetensorsHeader(file).parse(headerBytes, dataBytes);
    }

    private Parsed parse(byte[] headerBytes, long dataBytes) throws SafetensorsFormatException {
        JsonNode root = readJson(headerBytes);
        Map<String, String> metadata = Map.of();
        List<Slot> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(entry.getValue());
            } else {
                tensors.add(readTensor(entry.getKey(), entry.getValue(), dataBytes));
            }
        }
        checkTiling(tensors, dataBytes);
        return new Parsed(metadata, Collections.unmodifiableList(tensors));
    }

    private JsonNode readJson(byte[] headerBytes) throws SafetensorsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (!text.startsWith("{")) {
            throw fail("header does not start with '{' (starts with " + quote(text) + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().startsWith("Duplicate field")
                    ? "header repeats a name: " : "header is not valid JSON: ";
            throw new SafetensorsFormatException(file, problem + e.getOriginalMessage() + location(e), e);
        }
        if (root == null || !root.isObject()) {
            throw fail("header is not a JSON object");
        }
        return root;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (at header character " + e.getLocation().getCharOffset() + ")";
    }

    private Map<String, String> readMetadata(JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw fail("field '__metadata__' must be an object of strings, got " + quote(node.toString()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw fail("__metadata__ entry '" + entry.getKey() + "' must be a string, got "
                        + quote(entry.getValue().toString()));
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private Slot readTensor(String name, JsonNode node, long dataBytes) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw failTensor(name, "entry must be an object with dtype, shape and data_offsets, got "
                    + quote(node.toString()));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!TENSOR_FIELDS.contains(field.getKey())) {
                throw failTensor(name, "unknown field '" + field.getKey() + "' (expected dtype, shape, data_offsets)");
            }
        }
        SafetensorsDtype dtype = readDtype(name, required(name, node, "dtype"));
        long[] shape = readNonNegativeLongs(name, "shape", required(name, node, "shape"));
        long[] offsets = readNonNegativeLongs(name, "data_offsets", required(name, node, "data_offsets"));
        if (offsets.length != 2) {
            throw failTensor(name, "field 'data_offsets' must hold exactly 2 numbers [begin, end], got "
                    + Arrays.toString(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw failTensor(name, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        if (end > dataBytes) {
            throw failTensor(name, "data_offsets " + Arrays.toString(offsets) + " out of range: the data section has "
                    + dataBytes + " bytes");
        }
        long byteCount = end - begin;
        if (byteCount % dtype.byteSize() != 0) {
            throw failTensor(name, "byte range of " + byteCount + " bytes is not a whole number of " + dtype
                    + " elements (" + dtype.byteSize() + " bytes each)");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(SafetensorsTensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw failTensor(name, "shape " + Arrays.toString(shape) + " has more elements than fit in 64 bits");
        }
        if (expectedBytes != byteCount) {
            throw failTensor(name, "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expectedBytes
                    + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + byteCount);
        }
        return new Slot(new SafetensorsTensorInfo(name, dtype, shape), begin, end);
    }

    private JsonNode required(String name, JsonNode node, String field) throws SafetensorsFormatException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw failTensor(name, "missing field '" + field + "'");
        }
        return value;
    }

    private SafetensorsDtype readDtype(String name, JsonNode node) throws SafetensorsFormatException {
        if (!node.isTextual()) {
            throw failTensor(name, "field 'dtype' must be a string, got " + quote(node.toString()));
        }
        return SafetensorsDtype.fromHeaderName(node.textValue()).orElseThrow(() -> failTensor(name,
                "unknown dtype " + quote(node.textValue()) + " (supported: "
                        + Arrays.toString(SafetensorsDtype.values()) + ")"));
    }

    private long[] readNonNegativeLongs(String name, String field, JsonNode node) throws SafetensorsFormatException {
        if (!node.isArray()) {
            throw failTensor(name, "field '" + field + "' must be an array of integers, got " + quote(node.toString()));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                throw failTensor(name, "field '" + field + "' element " + i + " must be an integer that fits in 64"
                        + " bits, got " + quote(element.toString()));
            }
            values[i] = element.longValue();
            if (values[i] < 0) {
                throw failTensor(name, "field '" + field + "' element " + i + " is negative (" + values[i] + ")");
            }
        }
        return values;
    }

    /** Sorted by offset, the byte ranges must cover {@code [0, dataBytes)} exactly, each starting where the last ended. */
    private void checkTiling(List<Slot> tensors, long dataBytes) throws SafetensorsFormatException {
        List<Slot> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expectedBegin = 0;
        Slot previous = null;
        for (Slot slot : byOffset) {
            if (slot.begin() < expectedBegin) {
                throw failTensor(slot.info().name(), "bytes [" + slot.begin() + ", " + slot.end() + ") overlap tensor '"
                        + previous.info().name() + "' at [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (slot.begin() > expectedBegin) {
                String after = previous == null ? "the start of the data section" : "tensor '" + previous.info().name() + "'";
                throw failTensor(slot.info().name(), "gap of " + (slot.begin() - expectedBegin) + " unused bytes between "
                        + after + " and this tensor (data_offsets begin at " + slot.begin() + ", expected "
                        + expectedBegin + ")");
            }
            expectedBegin = slot.end();
            previous = slot;
        }
        if (expectedBegin != dataBytes) {
            throw fail("the tensors cover " + expectedBegin + " bytes of data but the data section has " + dataBytes
                    + " (" + (dataBytes - expectedBegin) + " trailing bytes belong to no tensor)");
        }
    }

    private SafetensorsFormatException fail(String problem) {
        return new SafetensorsFormatException(file, problem);
    }

    private SafetensorsFormatException failTensor(String name, String problem) {
        return new SafetensorsFormatException(file, "tensor '" + name + "': " + problem);
    }

    /** A short, printable rendering of untrusted text for an error message. */
    static String quote(String text) {
        String shortened = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        StringBuilder quoted = new StringBuilder("\"");
        shortened.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
