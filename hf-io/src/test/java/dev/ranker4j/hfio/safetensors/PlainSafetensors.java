package dev.ranker4j.hfio.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The slow, obvious twin of {@link SafetensorsFile} for tests: the whole file in a byte array, the header through a
 * plain Jackson tree, every element decoded one at a time from a {@link ByteBuffer}. It does no validation, so use it
 * only on files the real reader accepted.
 */
final class PlainSafetensors {
    private PlainSafetensors() {}

    record Tensor(String dtype, long[] shape, double[] values, long[] integers) {}

    static Map<String, Tensor> decode(byte[] file) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buffer.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, headerLength, java.nio.charset.StandardCharsets.UTF_8));
        int dataStart = 8 + headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : header.properties()) {
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode node = entry.getValue();
            String dtype = node.get("dtype").asText();
            long[] shape = new long[node.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = node.get("shape").get(i).asLong();
                count *= shape[i];
            }
            int begin = dataStart + node.get("data_offsets").get(0).asInt();
            double[] values = new double[(int) count];
            long[] integers = new long[(int) count];
            for (int i = 0; i < count; i++) {
                switch (dtype) {
                    case "F64" -> values[i] = buffer.getDouble(begin + 8 * i);
                    case "F32" -> values[i] = buffer.getFloat(begin + 4 * i);
                    case "F16" -> values[i] = Float.float16ToFloat(buffer.getShort(begin + 2 * i));
                    case "BF16" -> values[i] = Float.intBitsToFloat((buffer.getShort(begin + 2 * i) & 0xFFFF) << 16);
                    case "I64" -> integers[i] = buffer.getLong(begin + 8 * i);
                    case "I32" -> integers[i] = buffer.getInt(begin + 4 * i);
                    case "I16" -> integers[i] = buffer.getShort(begin + 2 * i);
                    case "I8" -> integers[i] = buffer.get(begin + i);
                    case "U8", "BOOL" -> integers[i] = buffer.get(begin + i) & 0xFF;
                    default -> throw new IllegalArgumentException(dtype);
                }
                if (!dtype.startsWith("F") && !dtype.startsWith("BF")) {
                    values[i] = integers[i];
                }
            }
            tensors.put(entry.getKey(), new Tensor(dtype, shape, values, integers));
        }
        return tensors;
    }
}
