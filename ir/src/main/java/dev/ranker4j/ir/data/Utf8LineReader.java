package dev.ranker4j.ir.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads '\n'-terminated lines of bytes and decodes each line on its own as strict UTF-8; a "\r\n" line end and a
 * UTF-8 byte order mark at the start of the input are dropped. Decoding per line (rather
 * than through a {@link java.io.InputStreamReader}, which decodes ahead in large chunks) is what lets a malformed
 * byte be reported with the number of the line that holds it.
 */
final class Utf8LineReader implements Closeable {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private boolean first = true;

    Utf8LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator ('\n', or "\r\n"), or null at the end of the input. */
    String readLine() throws IOException {
        int length = 0;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return sawAny ? decode(length) : null;
                }
            }
            sawAny = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') position++;
            int chunk = position - start;
            if (length + chunk > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
            System.arraycopy(buffer, start, line, length, chunk);
            length += chunk;
            if (position < limit) { // found '\n'
                position++;
                return decode(length);
            }
        }
    }

    private String decode(int length) throws CharacterCodingException {
        if (length > 0 && line[length - 1] == '\r') length--;
        int start = 0;
        if (first) {
            first = false;
            // A UTF-8 byte order mark (Windows editors write one) is no part of the first line's text.
            if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) start = 3;
        }
        return decoder.decode(ByteBuffer.wrap(line, start, length - start)).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
