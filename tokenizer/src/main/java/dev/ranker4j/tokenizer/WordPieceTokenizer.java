package dev.ranker4j.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * BERT's WordPiece tokenizer, matching Hugging Face {@code tokenizers} token for token. The pipeline for one text:
 * <ol>
 *   <li>split out added tokens that match the raw text ({@code normalized: false}, e.g. [CLS], [MASK]);</li>
 *   <li>normalize each remaining piece ({@link BertNormalizer}) and split out added tokens that match the
 *       normalized text ({@code normalized: true});</li>
 *   <li>pre-tokenize into words on whitespace and punctuation ({@link BertPreTokenizer});</li>
 *   <li>split each word into vocabulary pieces ({@link WordPieceModel});</li>
 *   <li>truncate ({@link Truncation}) and add the special tokens and type ids ({@link TemplateProcessing}).</li>
 * </ol>
 * Instances are immutable and safe to share between threads. Build one with {@link #fromTokenizerJson},
 * {@link #fromVocab} or {@link #fromDirectory}.
 */
public final class WordPieceTokenizer {
    private final BertNormalizer normalizer;
    private final WordPieceModel model;
    private final TemplateProcessing template;
    private final WordPieceDecoder decoder;
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final Map<String, Integer> addedByContent = new HashMap<>();
    private final Set<Integer> specialIds = new HashSet<>();
    private final int padId;
    private final String padToken;
    private final OptionalInt modelMaxLength;

    WordPieceTokenizer(BertNormalizer normalizer, WordPieceModel model, List<AddedToken> addedTokens,
                       TemplateProcessing template, WordPieceDecoder decoder, String padToken,
                       OptionalInt modelMaxLength) {
        this.normalizer = normalizer;
        this.model = model;
        this.template = template;
        this.decoder = decoder;
        this.modelMaxLength = modelMaxLength;
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> normalizedForm = new ArrayList<>();
        for (AddedToken token : addedTokens) {
            addedById.put(token.id(), token);
            addedByContent.put(token.content(), token.id());
            if (token.special()) specialIds.add(token.id());
            if (!token.normalized()) {
                raw.add(token);
            } else {
                // HF matches a normalized token by its normalized content, inside normalized text.
                String content = normalizer.normalize(token.content());
                if (!content.isEmpty()) {
                    normalizedForm.add(new AddedToken(token.id(), content, token.singleWord(), token.lstrip(),
                            token.rstrip(), true, token.special()));
                }
            }
        }
        this.rawMatcher = new AddedTokenMatcher(raw);
        this.normalizedMatcher = new AddedTokenMatcher(normalizedForm);
        int pad = tokenToId(padToken);
        this.padId = Math.max(pad, 0);
        this.padToken = pad >= 0 ? padToken : idToToken(0);
    }

    /** Reads a Hugging Face {@code tokenizer.json} (BertNormalizer, BertPreTokenizer, WordPiece). */
    public static WordPieceTokenizer fromTokenizerJson(Path tokenizerJson) {
        return TokenizerFiles.readTokenizerJson(tokenizerJson, OptionalInt.empty());
    }

    /**
     * Builds the tokenizer the way {@code BertTokenizerFast} converts a slow one: {@code vocab.txt} (one token per
     * line, id = line number) and {@code tokenizer_config.json} ({@code do_lower_case}, {@code strip_accents},
     * {@code tokenize_chinese_chars}, special tokens, {@code model_max_length}); {@code tokenizerConfig} may be
     * null for BERT-uncased defaults.
     */
    public static WordPieceTokenizer fromVocab(Path vocabTxt, Path tokenizerConfig) {
        return TokenizerFiles.readVocab(vocabTxt, tokenizerConfig);
    }

    /** Whether {@link #fromDirectory} would find tokenizer files in {@code directory}. */
    public static boolean presentIn(Path directory) {
        return Files.isRegularFile(directory.resolve("tokenizer.json")) || Files.isRegularFile(directory.resolve("vocab.txt"));
    }

    /**
     * A model directory: {@code tokenizer.json} when present, else {@code vocab.txt}; {@code tokenizer_config.json}
     * (optional) supplies {@link #modelMaxLength()}.
     */
    public static WordPieceTokenizer fromDirectory(Path directory) {
        Path json = directory.resolve("tokenizer.json");
        Path config = directory.resolve("tokenizer_config.json");
        Path vocab = directory.resolve("vocab.txt");
        if (Files.isRegularFile(json)) {
            OptionalInt max = Files.isRegularFile(config) ? TokenizerFiles.readModelMaxLength(config)
                    : OptionalInt.empty();
            return TokenizerFiles.readTokenizerJson(json, max);
        }
        if (Files.isRegularFile(vocab)) return fromVocab(vocab, Files.isRegularFile(config) ? config : null);
        throw new TokenizerFormatException(directory, "no tokenizer: expected tokenizer.json or vocab.txt in it");
    }

    /** Encodes one text with its special tokens, without truncation. */
    public Encoding encode(String text) {
        return encode(text, Truncation.NONE);
    }

    /** Encodes one text with its special tokens, at most {@code truncation.maxLength()} tokens. */
    public Encoding encode(String text, Truncation truncation) {
        return encodeSequences(text, null, truncation);
    }

    /** Encodes a text pair ({@code [CLS] first [SEP] second [SEP]}), without truncation. */
    public Encoding encodePair(String first, String second) {
        return encodePair(first, second, Truncation.NONE);
    }

    /**
     * Encodes a text pair truncated to {@code truncation.maxLength()} tokens in total.
     *
     * @throws TruncationException with HF's message when the strategy cannot reach the length
     */
    public Encoding encodePair(String first, String second, Truncation truncation) {
        if (second == null) throw new IllegalArgumentException("second text of a pair is null");
        return encodeSequences(first, second, truncation);
    }

    /** Encodes texts into one padded batch. */
    public BatchEncoding encodeBatch(List<String> texts, Truncation truncation, Padding padding) {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) encodings.add(encode(text, truncation));
        return pad(encodings, padding);
    }

    /** Encodes {@code firsts.get(i)} with {@code seconds.get(i)} for every i into one padded batch. */
    public BatchEncoding encodePairBatch(List<String> firsts, List<String> seconds, Truncation truncation,
                                         Padding padding) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException("pair batch needs as many second texts as first texts: "
                    + firsts.size() + " vs " + seconds.size());
        }
        List<Encoding> encodings = new ArrayList<>(firsts.size());
        for (int i = 0; i < firsts.size(); i++) encodings.add(encodePair(firsts.get(i), seconds.get(i), truncation));
        return pad(encodings, padding);
    }

    /** Lays encodings out as one padded batch (pad id, type 0, mask 0 on the right). */
    public BatchEncoding pad(List<Encoding> encodings, Padding padding) {
        int longest = 0;
        for (Encoding e : encodings) longest = Math.max(longest, e.length());
        int length = padding.targetLength(longest);
        int batch = encodings.size();
        int[] ids = new int[batch * length];
        int[] mask = new int[batch * length];
        int[] types = new int[batch * length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < batch; b++) {
            Encoding e = encodings.get(b);
            System.arraycopy(e.ids(), 0, ids, b * length, e.length());
            System.arraycopy(e.attentionMask(), 0, mask, b * length, e.length());
            System.arraycopy(e.typeIds(), 0, types, b * length, e.length());
        }
        return new BatchEncoding(batch, length, ids, mask, types);
    }

    /** Decodes ids to text, skipping special tokens ([CLS], [SEP], [PAD], ...), with HF's cleanup. */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    /**
     * Decodes ids to text as {@code tokenizers}' {@code Tokenizer.decode} does; {@code skipSpecialTokens} drops
     * tokens marked special in {@code added_tokens}.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, false);
    }

    /**
     * Decodes ids to text; with {@code cleanUpTokenizationSpaces} the joined text also gets transformers'
     * {@code clean_up_tokenization} (which, unlike the per-token decoder cleanup, turns "it ' s" into "it's").
     */
    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (skipSpecialTokens && specialIds.contains(id)) continue;
            String token = idToToken(id);
            if (token == null) {
                throw new IllegalArgumentException("cannot decode id " + id + ": outside the vocabulary of "
                        + vocabSize() + " tokens");
            }
            tokens.add(token);
        }
        String text = decoder.decode(tokens);
        return cleanUpTokenizationSpaces ? WordPieceDecoder.cleanUpTokenizationSpaces(text) : text;
    }

    /** The id of a token (added tokens first, then the vocabulary), or -1. */
    public int tokenToId(String token) {
        Integer added = addedByContent.get(token);
        return added != null ? added : model.vocabulary().id(token);
    }

    /** The token string of an id, or null when no token has it. */
    public String idToToken(int id) {
        AddedToken added = addedById.get(id);
        return added != null ? added.content() : model.vocabulary().token(id);
    }

    /** Vocabulary size including added tokens beyond the model's vocabulary. */
    public int vocabSize() {
        int size = model.vocabulary().size();
        for (int id : addedById.keySet()) size = Math.max(size, id + 1);
        return size;
    }

    /** The padding id ({@code [PAD]}'s id). */
    public int padId() {
        return padId;
    }

    /** How many special tokens the template adds to a single text ({@code pair = false}) or a pair. */
    public int specialTokenCount(boolean pair) {
        return template.addedTokenCount(pair);
    }

    /** {@code model_max_length} from tokenizer_config.json, when it was read. */
    public OptionalInt modelMaxLength() {
        return modelMaxLength;
    }

    /** The normalizer settings in effect. */
    public BertNormalizer normalizer() {
        return normalizer;
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Lays out two already-tokenized sequences (ids without special tokens, e.g. the Reranker toolkit's grouped
     * training data) as a pair, {@code [CLS] first [SEP] second [SEP]}, truncated as {@link #encodePair} truncates
     * the ids of two texts, each id counting as a word of its own (ids carry no word boundaries; see
     * {@link Truncation} for where they matter). Whenever one of the two sequences is shorter than
     * {@code truncation.maxLength()}, {@code encodePairIds(ids(a), ids(b), t)} equals {@code encodePair(a, b, t)}.
     */
    public Encoding encodePairIds(int[] firstIds, int[] secondIds, Truncation truncation) {
        IntList first = IntList.of(firstIds), second = IntList.of(secondIds);
        if (!truncation.isNone()) {
            first.truncate(truncation.maxLength());
            second.truncate(truncation.maxLength());
        }
        return withSpecialTokens(first, second, truncation);
    }

    private Encoding encodeSequences(String first, String second, Truncation truncation) {
        if (first == null) throw new IllegalArgumentException("text is null");
        // HF tokenizes a sequence only until it holds max_length tokens (at a word's end), except the first one of
        // an only_second pair, which is never cut; truncation then sees those lengths (Truncation's Javadoc).
        int limit = truncation.isNone() ? Integer.MAX_VALUE : truncation.maxLength();
        int firstLimit = second != null && truncation.strategy() == TruncationStrategy.ONLY_SECOND ? Integer.MAX_VALUE : limit;
        return withSpecialTokens(tokenIds(first, false, firstLimit), second == null ? null : tokenIds(second, false, limit),
                truncation);
    }

    /** Truncates the text ids {@code a} (and {@code b}), then applies the template (special tokens, type ids). */
    private Encoding withSpecialTokens(IntList a, IntList b, Truncation truncation) {
        if (!truncation.isNone()) {
            int special = template.addedTokenCount(b != null);
            int budget = truncation.maxLength() - special;
            if (budget < 0) {
                throw new IllegalArgumentException("max_length " + truncation.maxLength() + " leaves no room for the "
                        + special + " special tokens of a " + (b != null ? "pair" : "single text"));
            }
            int[] kept = truncation.keptLengths(a.size(), b == null ? -1 : b.size(), budget);
            a.truncate(kept[0]);
            if (b != null) b.truncate(kept[1]);
        }
        int capacity = a.size() + (b == null ? 0 : b.size()) + 4;
        IntList ids = new IntList(capacity);
        IntList typeIds = new IntList(capacity);
        template.apply(a, b, ids, typeIds);
        int[] idArray = ids.toArray();
        String[] tokens = new String[idArray.length];
        for (int i = 0; i < idArray.length; i++) tokens[i] = idToToken(idArray[i]);
        int[] mask = new int[idArray.length];
        Arrays.fill(mask, 1);
        return new Encoding(idArray, typeIds.toArray(), tokens, mask);
    }

    /** The ids of one text without special tokens: steps 1-4 of the pipeline. */
    IntList tokenIds(String text) {
        return tokenIds(text, false);
    }

    /**
     * Steps 1-4; {@code reference} selects the model's hash-map search (HF's algorithm as written), the plain twin
     * tests compare the trie fast path against.
     */
    IntList tokenIds(String text, boolean reference) {
        return tokenIds(text, reference, Integer.MAX_VALUE);
    }

    /**
     * Steps 1-4, keeping the tokens up to the end of the first word (or added token) at which the count reaches
     * {@code limit}, as HF's {@code tokenize_with_limit} does; {@code Integer.MAX_VALUE} keeps all of them.
     */
    IntList tokenIds(String text, boolean reference, int limit) {
        IntList out = new IntList(text.length() / 4 + 8);
        int[] capped = {-1}; // the count after the word that reached the limit
        Runnable wordEnd = () -> {
            if (capped[0] < 0 && out.size() >= limit) capped[0] = out.size();
        };
        BertPreTokenizer.WordSink model = reference
                ? (w, s, e) -> { this.model.tokenizeReference(w, s, e, out); wordEnd.run(); }
                : (w, s, e) -> { this.model.tokenize(w, s, e, out); wordEnd.run(); };
        AddedTokenMatcher.SegmentSink normalizedPieces = new AddedTokenMatcher.SegmentSink() {
            @Override
            public void text(String piece, int from, int to) {
                BertPreTokenizer.split(substring(piece, from, to), model);
            }

            @Override
            public void added(AddedToken token) {
                out.add(token.id());
                wordEnd.run();
            }
        };
        rawMatcher.split(text, new AddedTokenMatcher.SegmentSink() {
            @Override
            public void text(String raw, int start, int end) {
                normalizedMatcher.split(normalizer.normalize(substring(raw, start, end)), normalizedPieces);
            }

            @Override
            public void added(AddedToken token) {
                out.add(token.id());
                wordEnd.run();
            }
        });
        if (capped[0] >= 0) out.truncate(capped[0]);
        return out;
    }

    private static String substring(String text, int start, int end) {
        return start == 0 && end == text.length() ? text : text.substring(start, end);
    }
}
