package dev.ranker4j.ir.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Streams the lines of a UTF-8 text file (gzip-compressed when the name ends in {@code .gz}) with their line numbers,
 * reading one line at a time so a multi-gigabyte collection never has to fit in memory.
 *
 * <p>Blank (white-space-only) lines are skipped in every format: a trailing empty line is common and carries nothing.
 * "\r\n" line ends and a UTF-8 byte order mark at the start of the file are accepted (Windows tools write both).
 * Bytes that are not valid UTF-8 are reported with the line number rather than silently replaced.
 *
 * <p>The returned stream holds an open file: close it (try-with-resources).
 */
public final class TextLines {
    private TextLines() {}

    /** The non-blank lines of {@code file}, lazily, in file order. */
    public static Stream<Line> of(Path file) {
        Utf8LineReader reader = openLines(file);
        long[] number = {0};
        return LazyStreams.of(() -> {
            try {
                String text;
                while ((text = reader.readLine()) != null) {
                    number[0]++;
                    if (!text.isBlank()) return new Line(file, number[0], text);
                }
                return null;
            } catch (CharacterCodingException e) {
                throw new DataFormatException(file, number[0] + 1, "not valid UTF-8 text", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " after line " + number[0], e);
            }
        }, reader);
    }

    /** Opens {@code file} as strict UTF-8 text for whole-document parsers (JSON); see {@link #openStream}. */
    static BufferedReader open(Path file) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(openStream(file), decoder), 1 << 16);
        try {
            reader.mark(1);
            if (reader.read() != '\uFEFF') reader.reset(); // a byte order mark is no part of the text
        } catch (IOException e) {
            throw new DataFormatException(file, 1, "cannot read: " + e.getMessage(), e);
        }
        return reader;
    }

    private static Utf8LineReader openLines(Path file) {
        return new Utf8LineReader(openStream(file));
    }

    /** The file's bytes, gunzipped when the name ends in {@code .gz}; a missing file is a one-line error. */
    private static InputStream openStream(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }
}
