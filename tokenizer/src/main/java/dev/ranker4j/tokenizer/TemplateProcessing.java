package dev.ranker4j.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * HF's TemplateProcessing post-processor: where the special tokens go and which type id every token gets. BERT's
 * templates are {@code [CLS] $A [SEP]} for a single text and {@code [CLS] $A [SEP] $B:1 [SEP]:1} for a pair, so a
 * pair's second text and its closing [SEP] get token type 1.
 *
 * @param single        pieces of the single-text template
 * @param pair          pieces of the pair template
 * @param specialTokens the ids and token strings each special-token piece stands for
 */
record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, SpecialTokenIds> specialTokens) {

    /** One element of a template. */
    sealed interface Piece permits SpecialToken, Sequence {
        int typeId();
    }

    /** A special token, by its name in {@code special_tokens}. */
    record SpecialToken(String name, int typeId) implements Piece {}

    /** The tokens of the first ({@code A}) or second ({@code B}) text. */
    record Sequence(boolean first, int typeId) implements Piece {}

    /** What a special-token name expands to (usually one id). */
    record SpecialTokenIds(int[] ids, String[] tokens) {}

    TemplateProcessing {
        single = List.copyOf(single);
        pair = List.copyOf(pair);
        specialTokens = Map.copyOf(specialTokens);
        for (List<Piece> template : List.of(single, pair)) {
            for (Piece piece : template) {
                if (piece instanceof SpecialToken(String name, int typeId) && !specialTokens.containsKey(name)) {
                    throw new IllegalArgumentException("template uses special token '" + name
                            + "' that post_processor.special_tokens does not define");
                }
            }
        }
    }

    /** BERT's template built from the names and ids of its [CLS] and [SEP] tokens (also HF's BertProcessing). */
    static TemplateProcessing bert(String cls, int clsId, String sep, int sepId) {
        return new TemplateProcessing(
                List.of(new SpecialToken(cls, 0), new Sequence(true, 0), new SpecialToken(sep, 0)),
                List.of(new SpecialToken(cls, 0), new Sequence(true, 0), new SpecialToken(sep, 0),
                        new Sequence(false, 1), new SpecialToken(sep, 1)),
                Map.of(cls, new SpecialTokenIds(new int[] {clsId}, new String[] {cls}),
                        sep, new SpecialTokenIds(new int[] {sepId}, new String[] {sep})));
    }

    /** How many special tokens the template adds: what truncation must leave room for. */
    int addedTokenCount(boolean isPair) {
        int count = 0;
        for (Piece piece : isPair ? pair : single) {
            if (piece instanceof SpecialToken special) count += specialTokens.get(special.name()).ids().length;
        }
        return count;
    }

    /** Lays out the final ids and type ids; {@code second} is null for a single text. */
    void apply(IntList first, IntList second, IntList ids, IntList typeIds) {
        for (Piece piece : second == null ? single : pair) {
            switch (piece) {
                case SpecialToken special -> {
                    for (int id : specialTokens.get(special.name()).ids()) {
                        ids.add(id);
                        typeIds.add(special.typeId());
                    }
                }
                case Sequence sequence -> {
                    IntList source = sequence.first() ? first : second;
                    for (int i = 0; i < source.size(); i++) {
                        ids.add(source.get(i));
                        typeIds.add(sequence.typeId());
                    }
                }
            }
        }
    }
}
