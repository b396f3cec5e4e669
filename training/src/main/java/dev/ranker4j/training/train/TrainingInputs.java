package dev.ranker4j.training.train;

import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.ColbertInputs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenization shared by every {@link BatchSource}: texts (or pre-tokenized ids) to padded {@link BertInput}s and the
 * batch records the objectives read. Sequences are truncated longest-first to {@code maxLength} tokens, special
 * tokens included, and padded to the longest in the batch.
 */
public final class TrainingInputs {
    /** ColBERT's query length N_q (queries are padded with [MASK] to it). */
    static final int COLBERT_QUERY_LENGTH = 32;

    private final WordPieceTokenizer tokenizer;
    private final int maxLength;
    private final ColbertInputs colbertMarkers;

    public TrainingInputs(WordPieceTokenizer tokenizer, int maxLength) {
        if (maxLength < 8) throw new IllegalArgumentException("max length must be >= 8, got " + maxLength);
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.colbertMarkers = new ColbertInputs(tokenizer.tokenToId("[unused0]"), tokenizer.tokenToId("[unused1]"),
                tokenizer.tokenToId("[MASK]"), tokenizer.padId(), tokenizer.tokenToId("[SEP]"));
    }

    /** {@code [CLS] query_i [SEP] passage_i [SEP]} per row. */
    public BertInput pairs(List<String> queries, List<String> passages) {
        return BertInput.of(tokenizer.encodePairBatch(queries, passages, Truncation.longestFirst(maxLength), Padding.LONGEST));
    }

    /** The same pairs from token ids without special tokens (the Reranker toolkit's grouped data). */
    public BertInput pairsOfIds(List<int[]> queries, List<int[]> passages) {
        List<Encoding> encodings = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            encodings.add(tokenizer.encodePairIds(queries.get(i), passages.get(i), Truncation.longestFirst(maxLength)));
        }
        return BertInput.of(tokenizer.pad(encodings, Padding.LONGEST));
    }

    /** ColBERT's query and document inputs from token ids without special tokens, row by row. */
    public ColbertBatch colbertOfIds(List<int[]> queries, List<int[]> passages, int groupSize) {
        return new ColbertBatch(colbertMarkers.queries(withSpecials(queries), COLBERT_QUERY_LENGTH),
                colbertMarkers.documents(withSpecials(passages), maxLength), groupSize);
    }

    private List<long[]> withSpecials(List<int[]> ids) {
        long cls = tokenizer.tokenToId("[CLS]"), sep = tokenizer.tokenToId("[SEP]");
        List<long[]> out = new ArrayList<>(ids.size());
        for (int[] row : ids) {
            long[] full = new long[row.length + 2];
            full[0] = cls;
            for (int i = 0; i < row.length; i++) full[i + 1] = row[i];
            full[row.length + 1] = sep;
            out.add(full);
        }
        return out;
    }

    /** {@code [CLS] text [SEP]} per row (a dual encoder's tower input). */
    public BertInput texts(List<String> texts) {
        return BertInput.of(tokenizer.encodeBatch(texts, Truncation.longestFirst(maxLength), Padding.LONGEST));
    }

    /**
     * A TAS-Balanced batch: query i with positive i and negative i and the pairwise teacher's scores of both; the
     * in-batch teacher's (ColBERT's) inputs are built so the objective can score every query against every passage.
     */
    public TasBatch tasBatch(List<String> queries, List<String> positives, List<String> negatives,
                             float[] teacherPositive, float[] teacherNegative) {
        int b = queries.size();
        if (positives.size() != b || negatives.size() != b || teacherPositive.length != b || teacherNegative.length != b) {
            throw new IllegalArgumentException("TAS-Balanced batch: " + b + " queries need as many positives, negatives"
                    + " and teacher scores; got " + positives.size() + ", " + negatives.size() + ", "
                    + teacherPositive.length + ", " + teacherNegative.length);
        }
        List<String> passages = new ArrayList<>(positives);
        passages.addAll(negatives);
        return new TasBatch(texts(queries), texts(passages), Tensor.fromArray(teacherPositive, b),
                Tensor.fromArray(teacherNegative, b), null,
                colbertMarkers.queries(idsWithSpecials(queries), COLBERT_QUERY_LENGTH),
                colbertMarkers.documents(idsWithSpecials(passages), maxLength));
    }

    /** RocketQAv2 lists: query q with {@code lists.get(q)} (positive first), every list of the same size. */
    public ListwiseBatch listwise(List<String> queries, List<List<String>> lists) {
        int listSize = lists.getFirst().size();
        List<String> pairQueries = new ArrayList<>(), passages = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            if (lists.get(q).size() != listSize) {
                throw new IllegalArgumentException("listwise batch: list " + q + " has " + lists.get(q).size()
                        + " passages, list 0 has " + listSize);
            }
            for (String passage : lists.get(q)) {
                pairQueries.add(queries.get(q));
                passages.add(passage);
            }
        }
        return new ListwiseBatch(texts(queries), texts(passages), pairs(pairQueries, passages), listSize);
    }

    private List<long[]> idsWithSpecials(List<String> texts) {
        List<long[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(Arrays.stream(tokenizer.encode(text, Truncation.longestFirst(maxLength)).ids()).asLongStream().toArray());
        }
        return out;
    }
}
