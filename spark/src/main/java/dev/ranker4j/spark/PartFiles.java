package dev.ranker4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The output protocol that makes a job resumable at partition granularity, on any Hadoop file system: partition
 * {@code p} is written to a hidden temporary file and renamed to {@code part-0000p.EXT} when complete, so a part file
 * that exists is whole, and a rerun skips it. The directory's {@code _ranker4j.json} holds the settings the parts were
 * made with; a rerun with other settings is refused instead of mixing two runs' parts.
 */
final class PartFiles {
    private PartFiles() {}

    static final String MANIFEST = "_ranker4j.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static String partName(int partition, String extension) {
        return String.format("part-%05d.%s", partition, extension);
    }

    static boolean exists(Path file, Configuration conf) {
        try {
            return file.getFileSystem(conf).exists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code part} through {@code writer} (given a temporary file beside it) and renames it into place; another
     * attempt that got there first wins, and this one's file is dropped.
     */
    static void commit(Path part, Configuration conf, Consumer<Path> writer) {
        Path temporary = new Path(part.getParent(), "." + part.getName() + "." + System.nanoTime() + ".tmp");
        try {
            FileSystem fs = part.getFileSystem(conf);
            writer.accept(temporary);
            if (!fs.rename(temporary, part)) {
                fs.delete(temporary, false);
                if (!fs.exists(part)) throw new IOException("renaming " + temporary + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + part + ": " + e.getMessage(), e);
        }
    }

    /** Writes a small text file through a temporary file and a rename. */
    static void writeText(Path file, String text, Configuration conf) {
        commit(file, conf, temporary -> {
            try (FSDataOutputStream out = temporary.getFileSystem(conf).create(temporary, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Claims {@code directory} for a job with {@code settings}: writes the manifest when there is none, and returns the
     * existing one (whose settings must agree) otherwise. A directory with files but no manifest is refused.
     */
    static ObjectNode claim(Path directory, Map<String, Object> settings, Configuration conf) {
        Path manifest = new Path(directory, MANIFEST);
        try {
            FileSystem fs = directory.getFileSystem(conf);
            if (fs.exists(manifest)) {
                ObjectNode found;
                try (InputStream in = fs.open(manifest)) {
                    found = (ObjectNode) JSON.readTree(in);
                }
                for (var setting : settings.entrySet()) {
                    String expected = String.valueOf(setting.getValue());
                    String actual = found.path(setting.getKey()).asText(null);
                    if (!expected.equals(actual)) {
                        throw new IllegalArgumentException(directory + " holds the parts of another run (" + setting.getKey()
                                + " was " + actual + ", now " + expected + "); delete it or choose another output");
                    }
                }
                return found;
            }
            if (fs.exists(directory) && fs.listStatus(directory).length > 0) {
                throw new IllegalArgumentException(directory + " exists and is not the output of a ranker4j spark job"
                        + " (no " + MANIFEST + "); delete it or choose another output");
            }
            fs.mkdirs(directory);
            ObjectNode json = JSON.createObjectNode();
            for (var setting : settings.entrySet()) json.put(setting.getKey(), String.valueOf(setting.getValue()));
            writeText(manifest, json.toPrettyString() + "\n", conf);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Adds {@code key = value} to an existing manifest. */
    static void record(Path directory, String key, String value, Configuration conf) {
        Path manifest = new Path(directory, MANIFEST);
        try {
            FileSystem fs = directory.getFileSystem(conf);
            ObjectNode json;
            try (InputStream in = fs.open(manifest)) {
                json = (ObjectNode) JSON.readTree(in);
            }
            json.put(key, value);
            fs.delete(manifest, false);
            writeText(manifest, json.toPrettyString() + "\n", conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + manifest + ": " + e.getMessage(), e);
        }
    }
}
