package dev.ranker4j.index;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;

import java.io.IOException;
import java.util.Locale;

/**
 * What an index holds, as Anserini reports it after indexing.
 *
 * @param documents   documents in the index
 * @param skipped     input documents not indexed (BM25: empty contents, as Anserini skips them)
 * @param terms       BM25: total term occurrences in the contents field (Anserini's "total terms"); vectors: 0
 * @param uniqueTerms BM25: distinct terms of the contents field; vectors: 0
 * @param dimension   vectors: floats per vector; BM25: 0
 * @param segments    Lucene segments
 * @param seconds     wall time of the build, commit and checks included
 */
public record IndexStatistics(long documents, long skipped, long terms, long uniqueTerms, int dimension, int segments,
                              double seconds) {

    /** The statistics of a BM25 index's contents field. */
    static IndexStatistics ofBm25(DirectoryReader reader, long skipped, double seconds) throws IOException {
        Terms contents = MultiTerms.getTerms(reader, Bm25Indexer.CONTENTS);
        long total = contents == null ? 0 : contents.getSumTotalTermFreq();
        long unique = 0;
        if (contents != null) {
            TermsEnum terms = contents.iterator();
            while (terms.next() != null) unique++;
        }
        return new IndexStatistics(reader.numDocs(), skipped, total, unique, 0, reader.leaves().size(), seconds);
    }

    /** The JSON members of these statistics (without braces). */
    public String json() {
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT, "\"documents\":%d", documents));
        if (dimension == 0) {
            json.append(String.format(Locale.ROOT, ",\"skipped_empty\":%d,\"total_terms\":%d,\"unique_terms\":%d",
                    skipped, terms, uniqueTerms));
        } else {
            json.append(String.format(Locale.ROOT, ",\"dimension\":%d", dimension));
        }
        json.append(String.format(Locale.ROOT, ",\"segments\":%d,\"index_s\":%.3f,\"docs_per_s\":%.1f", segments,
                seconds, seconds > 0 ? documents / seconds : 0.0));
        return json.toString();
    }
}
