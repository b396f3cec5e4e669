package dev.ranker4j.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis chain, term by term, and the names an index records. */
class EnglishAnalysisTest {
    private static List<String> terms(EnglishAnalysis analysis, String text) {
        return EnglishAnalysis.terms(analysis.analyzer(), "contents", text);
    }

    @Test
    void defaultChainTokenizesRemovesPossessivesLowercasesDropsStopWordsAndPorterStems() {
        // StandardTokenizer keeps "3.5" and "covid-19" apart as UAX#29 says; "the", "in", "and", "of" are stop words.
        assertEquals(List.of("dog", "run", "quickli", "2024", "3.5", "case", "covid", "19", "studi"),
                terms(EnglishAnalysis.DEFAULT, "The Dog's RUNNING quickly in 2024 and 3.5 cases of COVID-19 studies"));
    }

    @Test
    void variantsChangeOnlyTheirOwnStep() {
        String text = "The dogs were running studies";
        assertEquals(List.of("the", "dog", "were", "run", "studi"),
                terms(new EnglishAnalysis(EnglishAnalysis.Stemmer.PORTER, false), text));
        assertEquals(List.of("dogs", "were", "running", "studies"),
                terms(new EnglishAnalysis(EnglishAnalysis.Stemmer.NONE, true), text));
        // Krovetz is dictionary-based and conservative: only "studies" changes.
        assertEquals(List.of("dogs", "were", "running", "study"),
                terms(new EnglishAnalysis(EnglishAnalysis.Stemmer.KROVETZ, true), text));
    }

    @Test
    void idNamesTheChainAndParsesBack() {
        assertEquals("lucene-standard+possessive+lowercase+stop:lucene-english+porter", EnglishAnalysis.DEFAULT.id());
        for (EnglishAnalysis.Stemmer stemmer : EnglishAnalysis.Stemmer.values()) {
            for (boolean stop : new boolean[] {true, false}) {
                EnglishAnalysis analysis = new EnglishAnalysis(stemmer, stop);
                assertEquals(analysis, EnglishAnalysis.parse(analysis.id()));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnglishAnalysis.parse("lucene-standard+lowercase+snowball"));
        assertTrue(e.getMessage().startsWith("unknown analyzer 'lucene-standard+lowercase+snowball'"), e.getMessage());
    }
}
