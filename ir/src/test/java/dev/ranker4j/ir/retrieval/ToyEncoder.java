package dev.ranker4j.ir.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stand-in for a sentence encoder: a text becomes a bag of its lowercase letters (26 counts), cut to
 * {@code maxLength} characters. It counts calls and texts and can be told to fail after some batches, to test resuming.
 */
final class ToyEncoder implements TextEncoder {
    final List<Integer> batchSizes = new ArrayList<>();
    int failAfterBatches = Integer.MAX_VALUE;

    @Override
    public float[][] encode(List<String> texts, int maxLength) {
        if (batchSizes.size() >= failAfterBatches) throw new IllegalStateException("killed");
        batchSizes.add(texts.size());
        float[][] vectors = new float[texts.size()][26];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).toLowerCase(java.util.Locale.ROOT);
            for (int c = 0; c < Math.min(maxLength, text.length()); c++) {
                char ch = text.charAt(c);
                if (ch >= 'a' && ch <= 'z') vectors[i][ch - 'a']++;
            }
        }
        return vectors;
    }

    int textsEncoded() {
        return batchSizes.stream().mapToInt(Integer::intValue).sum();
    }
}
