package dev.ranker4j.index;

import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad index directories give one-line errors naming them; writes are atomic. */
class IndexDirectoriesTest {
    @TempDir
    Path dir;

    private Path bm25Index(String name, Document... documents) {
        Path corpus = TestCorpora.beir(dir.resolve(name + ".jsonl"), documents);
        Path index = dir.resolve(name);
        new Bm25Indexer(EnglishAnalysis.DEFAULT, 1).index(corpus, index, Progress.NONE);
        return index;
    }

    private static String openError(Path index) {
        return assertThrows(IndexException.class, () -> IndexDirectories.open(index, true)).getMessage();
    }

    @Test
    void missingEmptyAndForeignDirectoriesAreRefused() throws IOException {
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such index directory", openError(missing));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + ": not a Lucene index (no segments_N file); build one with ranker4j index",
                openError(empty));
        Path foreign = dir.resolve("foreign");
        try (FSDirectory directory = FSDirectory.open(foreign);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            org.apache.lucene.document.Document document = new org.apache.lucene.document.Document();
            document.add(new StringField("id", "1", org.apache.lucene.document.Field.Store.YES));
            writer.addDocument(document);
            writer.commit();
        }
        assertEquals(foreign + ": not a ranker4j index (its Lucene commit has no ranker4j.kind; build one with"
                + " ranker4j index)", openError(foreign));
    }

    @Test
    void aNewerFormatIsRefused() {
        Map<String, String> data = new java.util.HashMap<>(IndexMetadata.bm25(EnglishAnalysis.DEFAULT, "c").toUserData());
        data.put("ranker4j.format", "2");
        IndexException e = assertThrows(IndexException.class, () -> IndexMetadata.fromUserData(Path.of("ix"), data));
        assertEquals("ix: index format 2 is newer than this ranker4j reads (1)", e.getMessage());
    }

    @Test
    void anIndexBuiltWithAnAnalyzerThisVersionDoesNotKnowIsRefused() throws IOException {
        Path index = bm25Index("other-analyzer", new Document("1", "", "words"));
        try (FSDirectory directory = FSDirectory.open(index); IndexWriter writer = new IndexWriter(directory,
                new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
            Map<String, String> data = new java.util.HashMap<>();
            writer.getLiveCommitData().forEach(entry -> data.put(entry.getKey(), entry.getValue()));
            data.put("ranker4j.analyzer", "lucene-standard+lowercase+snowball-english");
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        }
        String error = assertThrows(IndexException.class, () -> Bm25Searcher.open(index, true, null, Bm25Searcher.K1,
                Bm25Searcher.B)).getMessage();
        assertTrue(error.startsWith(index + ": built with an analyzer this version cannot reproduce: unknown analyzer"
                + " 'lucene-standard+lowercase+snowball-english'"), error);
    }

    /** The largest file of an index: where a flipped byte lands in the postings or vectors. */
    private static Path largestFile(Path index) throws IOException {
        try (Stream<Path> files = Files.list(index)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("segments_") && !f.endsWith("write.lock"))
                    .max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
    }

    @Test
    void aCorruptedOrTruncatedFileIsReportedWithItsName() throws IOException {
        Path index = bm25Index("corrupt", new Document("1", "", "some words to index here"),
                new Document("2", "", "and some more words"));
        Path file = largestFile(index);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        String error = openError(index);
        assertTrue(error.startsWith(index + ": corrupt index: "), error);
        assertTrue(error.contains(file.getFileName().toString()), error);
        assertFalse(error.contains("\n"), error);

        Path truncated = bm25Index("truncated", new Document("1", "", "some words to index here"));
        Path victim = largestFile(truncated);
        try (FileChannel channel = FileChannel.open(victim, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 9);
        }
        String truncatedError = openError(truncated);
        assertTrue(truncatedError.startsWith(truncated + ": corrupt index"), truncatedError);
        assertTrue(truncatedError.contains(victim.getFileName().toString()), truncatedError);
    }

    @Test
    void aSearcherRefusesAnIndexOfAnotherKind() {
        Path bm25 = bm25Index("bm25", new Document("1", "", "words"));
        IndexException e = assertThrows(IndexException.class, () -> VectorSearcher.open(bm25, true));
        assertEquals(bm25 + ": is a bm25 index; it has no vectors to search with query vectors", e.getMessage());
        Path vectors = dir.resolve("vectors");
        new VectorIndexer(new VectorIndexer.Settings(IndexKind.HNSW, Similarity.COSINE, 16, 100, 1))
                .index(TestCorpora.clustered(5, 4, 1, "d"), "docs.vec", vectors, Progress.NONE);
        IndexException f = assertThrows(IndexException.class, () -> Bm25Searcher.open(vectors, true, null,
                Bm25Searcher.K1, Bm25Searcher.B));
        assertEquals(vectors + ": is a hnsw index, not a BM25 index", f.getMessage());
    }

    @Test
    void aFailedBuildLeavesThePreviousIndexAndNoPartialDirectory() throws IOException {
        Path index = bm25Index("index", new Document("1", "", "the first version"));
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), "{\"_id\":\"2\",\"text\":\"fine\"}\nnot json\n");
        assertThrows(RuntimeException.class, () -> new Bm25Indexer(EnglishAnalysis.DEFAULT, 2)
                .index(broken, index, Progress.NONE));
        assertFalse(Files.exists(IndexDirectories.partialDirectory(index)));
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
            assertEquals(List.of("1"), searcher.search("q", "first version", 10, true).stream()
                    .map(d -> d.docId()).toList());
        }
        // A build that dies inside the builder (the process killed) leaves only NAME.partial behind.
        assertThrows(IllegalStateException.class, () -> IndexDirectories.writeAtomically(index, partial -> {
            Files.writeString(partial.resolve("_0.cfs"), "half written");
            throw new IllegalStateException("killed");
        }));
        assertTrue(Files.isDirectory(index));
        assertFalse(Files.exists(IndexDirectories.partialDirectory(index)));
    }

    @Test
    void aLeftoverPartialDirectoryIsReplacedAndTheNewIndexReplacesTheOld() throws IOException {
        Path index = bm25Index("index", new Document("1", "", "old words"));
        Path partial = Files.createDirectory(IndexDirectories.partialDirectory(index));
        Files.writeString(partial.resolve("_9.cfs"), "left by a killed run");
        Path corpus = TestCorpora.beir(dir.resolve("new.jsonl"), new Document("2", "", "new words"));
        new Bm25Indexer(EnglishAnalysis.DEFAULT, 1).index(corpus, index, Progress.NONE);
        assertFalse(Files.exists(partial));
        assertFalse(Files.exists(index.resolveSibling("index.old")));
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
            assertEquals(List.of("2"), searcher.search("q", "words", 10, true).stream().map(d -> d.docId()).toList());
        }
    }

    @Test
    void aDirectoryThatIsNotAnIndexIsNeverReplaced() throws IOException {
        Path notes = Files.createDirectory(dir.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "keep me");
        Path corpus = TestCorpora.beir(dir.resolve("c.jsonl"), new Document("1", "", "words"));
        IndexException e = assertThrows(IndexException.class, () -> new Bm25Indexer(EnglishAnalysis.DEFAULT, 1)
                .index(corpus, notes, Progress.NONE));
        assertEquals(notes + ": exists and is not an index; remove it or choose another --output", e.getMessage());
        assertEquals("keep me", Files.readString(notes.resolve("todo.txt")));
    }
}
