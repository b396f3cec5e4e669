package dev.ranker4j.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The text analysis of a BM25 index, Anserini's {@code DefaultEnglishAnalyzer} chain: Lucene's
 * {@link StandardTokenizer} (Unicode word boundaries, UAX #29), {@link EnglishPossessiveFilter} (drops a trailing
 * {@code 's}), {@link LowerCaseFilter}, a {@link StopFilter} with Lucene's English stop set
 * ({@link EnglishAnalyzer#ENGLISH_STOP_WORDS_SET}, 33 words), then a stemmer: Porter (the default), Krovetz, or none.
 *
 * <p>{@link #id()} names the chain; a BM25 index stores it, and searching an index with a different analysis is
 * refused: query terms must be analysed exactly as the documents were.
 *
 * @param stemmer       the stemmer at the end of the chain
 * @param stopwords     whether Lucene's English stop words are removed (Anserini's default; {@code -keepStopwords} turns it off)
 */
public record EnglishAnalysis(Stemmer stemmer, boolean stopwords) {
    /** The analysis Anserini uses by default: Porter stemming, stop words removed. */
    public static final EnglishAnalysis DEFAULT = new EnglishAnalysis(Stemmer.PORTER, true);

    private static final String PREFIX = "lucene-standard+possessive+lowercase";
    private static final String STOP = "+stop:lucene-english";

    /** The last filter of the chain. */
    public enum Stemmer {
        PORTER, KROVETZ, NONE;

        /** The name used on the command line and in {@link EnglishAnalysis#id()}: porter, krovetz, none. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The stemmer named {@code label}. */
        public static Stemmer parse(String label) {
            for (Stemmer stemmer : values()) if (stemmer.label().equals(label)) return stemmer;
            throw new IllegalArgumentException("unknown stemmer '" + label + "' (porter, krovetz, none)");
        }
    }

    public EnglishAnalysis {
        Objects.requireNonNull(stemmer, "stemmer");
    }

    /**
     * The chain as one string, e.g. {@code lucene-standard+possessive+lowercase+stop:lucene-english+porter}: what an
     * index records and what {@link #parse} reads back.
     */
    public String id() {
        return PREFIX + (stopwords ? STOP : "") + (stemmer == Stemmer.NONE ? "" : "+" + stemmer.label());
    }

    /** The analysis named by {@link #id()}; anything else is an analysis this version does not know. */
    public static EnglishAnalysis parse(String id) {
        for (Stemmer stemmer : Stemmer.values()) {
            for (boolean stopwords : new boolean[] {true, false}) {
                EnglishAnalysis analysis = new EnglishAnalysis(stemmer, stopwords);
                if (analysis.id().equals(id)) return analysis;
            }
        }
        throw new IllegalArgumentException("unknown analyzer '" + id + "' (this version knows " + DEFAULT.id()
                + " and its variants without stop words or with another stemmer)");
    }

    /** A Lucene analyzer running this chain (thread-safe: Lucene keeps one token stream per thread). */
    public Analyzer analyzer() {
        CharArraySet stopSet = stopwords ? EnglishAnalyzer.ENGLISH_STOP_WORDS_SET : CharArraySet.EMPTY_SET;
        Stemmer stem = stemmer;
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream stream = new EnglishPossessiveFilter(source);
                stream = new LowerCaseFilter(stream);
                stream = new StopFilter(stream, stopSet);
                stream = switch (stem) {
                    case PORTER -> new PorterStemFilter(stream);
                    case KROVETZ -> new KStemFilter(stream);
                    case NONE -> stream;
                };
                return new TokenStreamComponents(source, stream);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
    }

    /** The terms {@code analyzer} makes of {@code text}, in order, repeats kept. */
    public static List<String> terms(Analyzer analyzer, String field, String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) terms.add(term.toString());
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader never fails
        }
        return terms;
    }
}
