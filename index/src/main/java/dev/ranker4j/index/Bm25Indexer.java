package dev.ranker4j.index;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.Line;
import dev.ranker4j.ir.data.TextLines;
import dev.ranker4j.ir.retrieval.Progress;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Builds a BM25 index of a corpus as Anserini's {@code IndexCollection} does with {@code BeirFlatCollection} and its
 * default generator: one Lucene document per corpus document, its id in the {@value #ID} field (stored, indexed
 * verbatim, and as sorted doc values for breaking score ties), and {@code title + " " + text} analysed by
 * {@link EnglishAnalysis} into the {@value #CONTENTS} field (document and term frequencies, norms; no positions, no
 * stored text). A document whose contents are blank is skipped, as Anserini skips it.
 *
 * <p>One thread reads lines; {@code threads} workers parse them and add the documents, which is where the analysis
 * runs (Lucene's {@link IndexWriter} takes documents from many threads at once). The document order within the index
 * therefore varies from run to run, but no score does: BM25's statistics are over the whole index.
 */
public final class Bm25Indexer {
    /** The id field. */
    public static final String ID = "id";
    /** The analysed text field. */
    public static final String CONTENTS = "contents";

    private static final int BATCH = 256;
    private static final double RAM_BUFFER_MB = 256;

    private final EnglishAnalysis analysis;
    private final int threads;

    public Bm25Indexer(EnglishAnalysis analysis, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.analysis = analysis;
        this.threads = threads;
    }

    /**
     * Indexes {@code corpus} (BEIR {@code corpus.jsonl[.gz]}, or {@code id TAB text} lines) into {@code output},
     * atomically (see {@link IndexDirectories}).
     */
    public IndexStatistics index(Path corpus, Path output, Progress progress) {
        long start = System.nanoTime();
        return IndexDirectories.writeAtomically(output, dir -> {
            AtomicLong skipped = new AtomicLong();
            IndexWriterConfig config = new IndexWriterConfig(analysis.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                    // The similarity fixes how document lengths are encoded in the norms; BM25's k1 and b do not enter.
                    .setSimilarity(new BM25Similarity(Bm25Searcher.K1, Bm25Searcher.B))
                    .setRAMBufferSizeMB(RAM_BUFFER_MB);
            try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
                addAll(corpus, writer, skipped, progress);
                writer.setLiveCommitData(IndexMetadata.bm25(analysis, corpus.getFileName().toString()).toUserData()
                        .entrySet());
                writer.commit();
            }
            try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
                refuseDuplicateIds(corpus, reader);
                return IndexStatistics.ofBm25(reader, skipped.get(), (System.nanoTime() - start) / 1e9);
            }
        });
    }

    private void addAll(Path corpus, IndexWriter writer, AtomicLong skipped, Progress progress) throws IOException {
        boolean json = isJsonLines(corpus);
        FieldType contentsType = contentsFieldType();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(2 * threads);
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bm25-indexer");
            thread.setDaemon(true);
            return thread;
        });
        try (Stream<Line> lines = TextLines.of(corpus)) {
            List<Line> batch = new ArrayList<>(BATCH);
            for (Line line : (Iterable<Line>) lines::iterator) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    submit(workers, inFlight, failure, batch, json, contentsType, writer, skipped, progress);
                    batch = new ArrayList<>(BATCH);
                }
                if (failure.get() != null) break;
            }
            if (!batch.isEmpty() && failure.get() == null) {
                submit(workers, inFlight, failure, batch, json, contentsType, writer, skipped, progress);
            }
        } finally {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(7, TimeUnit.DAYS)) throw new IllegalStateException("indexing timed out");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while indexing", e);
            }
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) throw runtime;
        if (thrown instanceof IOException io) throw io;
        if (thrown instanceof Error error) throw error;
    }

    private static void submit(ExecutorService workers, Semaphore inFlight, AtomicReference<Throwable> failure,
                               List<Line> batch, boolean json, FieldType contentsType, IndexWriter writer,
                               AtomicLong skipped, Progress progress) {
        inFlight.acquireUninterruptibly();
        workers.execute(() -> {
            try {
                if (failure.get() != null) return;
                for (Line line : batch) {
                    Document document = json ? BeirFormat.parseDocument(line) : parseTsv(line);
                    String contents = document.titleAndText();
                    if (contents.isBlank()) {
                        skipped.incrementAndGet();
                        continue;
                    }
                    org.apache.lucene.document.Document lucene = new org.apache.lucene.document.Document();
                    lucene.add(new StringField(ID, document.id(), Field.Store.YES));
                    lucene.add(new SortedDocValuesField(ID, new BytesRef(document.id())));
                    lucene.add(new Field(CONTENTS, contents, contentsType));
                    writer.addDocument(lucene);
                }
                synchronized (progress) {
                    progress.advance(batch.size());
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /** An MS MARCO collection line {@code pid TAB passage} (as {@code MsMarcoFormat.readCollection} reads it). */
    private static Document parseTsv(Line line) {
        String[] fields = line.splitTabs("pid", "passage");
        return new Document(line.requireNonEmpty("pid", fields[0]), "", fields[1]);
    }

    private static FieldType contentsFieldType() {
        FieldType type = new FieldType();
        type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
        type.setTokenized(true);
        type.setStored(false);
        type.freeze();
        return type;
    }

    private static void refuseDuplicateIds(Path corpus, DirectoryReader reader) throws IOException {
        Terms ids = MultiTerms.getTerms(reader, ID);
        if (ids == null) return;
        TermsEnum terms = ids.iterator();
        for (BytesRef id = terms.next(); id != null; id = terms.next()) {
            if (terms.docFreq() > 1) {
                throw new IllegalArgumentException(corpus + ": id " + id.utf8ToString() + " appears " + terms.docFreq()
                        + " times");
            }
        }
    }

    /** BEIR JSON lines by name ({@code .jsonl}, {@code .jsonl.gz}, {@code .json}); anything else is TSV. */
    static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".json");
    }

    /** Non-blank lines of {@code file}: the progress bar's total. */
    public static long countLines(Path file) {
        try (Stream<Line> lines = TextLines.of(file)) {
            return lines.count();
        }
    }
}
