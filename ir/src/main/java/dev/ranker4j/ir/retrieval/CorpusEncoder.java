package dev.ranker4j.ir.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Encodes a corpus into {@link DenseVectors}, resumably.
 *
 * <p><b>Length buckets.</b> Texts are sorted by length (characters, a cheap stand-in for tokens), longest first, and
 * cut into batches in that order, so a batch pads its texts to nearly the same length instead of to the corpus's
 * longest; padding wastes a third or more of a batch on real corpora. Longest first also means an out-of-memory batch
 * shows up at once, not after an hour.
 *
 * <p><b>Resuming.</b> The sorted order is also cut into shards of {@code shardSize} texts. Each finished shard is
 * written atomically to the checkpoint directory as a vector file ({@code shard-00003.vec}); a killed run started again
 * with the same inputs and settings reads the finished shards and encodes only the rest. A {@code manifest.json}
 * holds a SHA-256 fingerprint of the ids, texts and settings, so a checkpoint directory from a different run is never
 * mixed in: it is replaced when it holds no finished shard, and refused (saying what it holds) when it does. {@link #encodeToFile} deletes the checkpoints once the output is written.
 */
public final class CorpusEncoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TextEncoder encoder;
    private final int maxLength;
    private final int batchSize;
    private final int shardSize;
    private final boolean normalize;

    /**
     * @param encoder   the text encoder
     * @param maxLength tokens per text, special tokens included
     * @param batchSize texts per {@link TextEncoder#encode} call
     * @param shardSize texts per checkpoint shard (a multiple of batchSize keeps batches whole)
     * @param normalize L2-normalise every vector (and flag the result normalized)
     */
    public CorpusEncoder(TextEncoder encoder, int maxLength, int batchSize, int shardSize, boolean normalize) {
        if (maxLength < 1 || batchSize < 1 || shardSize < 1) {
            throw new IllegalArgumentException("maxLength, batchSize and shardSize must be positive: " + maxLength
                    + ", " + batchSize + ", " + shardSize);
        }
        this.encoder = encoder;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.shardSize = shardSize;
        this.normalize = normalize;
    }

    /** The checkpoint directory used for {@code output}: {@code output.partial} beside it. */
    public static Path checkpointDirectory(Path output) {
        return output.resolveSibling(output.getFileName() + ".partial");
    }

    /**
     * Encodes the texts and writes the vectors to {@code output} atomically, checkpointing to
     * {@link #checkpointDirectory(Path)} and deleting the checkpoints after success.
     */
    public DenseVectors encodeToFile(List<String> ids, List<String> texts, Path output, Progress progress) {
        Path checkpoints = checkpointDirectory(output);
        DenseVectors vectors = encode(ids, texts, checkpoints, progress);
        VectorFiles.write(output, vectors);
        deleteCheckpoints(checkpoints);
        return vectors;
    }

    /**
     * Encodes {@code texts} (named by {@code ids}) and returns the vectors in input order. With a non-null
     * {@code checkpoints} directory, finished shards are saved there and reused by a later call with the same inputs.
     */
    public DenseVectors encode(List<String> ids, List<String> texts, Path checkpoints, Progress progress) {
        if (ids.size() != texts.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + texts.size() + " texts");
        }
        if (ids.isEmpty()) throw new IllegalArgumentException("nothing to encode");
        int[] order = longestFirst(texts);
        if (checkpoints != null) claim(checkpoints, fingerprint(ids, texts), ids.size());
        float[][] vectors = new float[texts.size()][];
        for (int shardStart = 0; shardStart < order.length; shardStart += shardSize) {
            int shardEnd = Math.min(order.length, shardStart + shardSize);
            int[] members = java.util.Arrays.copyOfRange(order, shardStart, shardEnd);
            List<String> shardIds = new ArrayList<>();
            for (int i : members) shardIds.add(ids.get(i));
            Path shardFile = checkpoints == null ? null
                    : checkpoints.resolve(String.format("shard-%05d.vec", shardStart / shardSize));
            DenseVectors shard;
            if (shardFile != null && Files.isRegularFile(shardFile)) {
                shard = VectorFiles.read(shardFile);
                if (!shard.ids().equals(shardIds)) {
                    throw new IllegalStateException(shardFile + ": holds other ids than this shard should; delete "
                            + checkpoints + " to start over");
                }
                progress.advance(members.length);
            } else {
                shard = encodeShard(members, shardIds, texts, progress);
                if (shardFile != null) VectorFiles.write(shardFile, shard);
            }
            for (int j = 0; j < members.length; j++) vectors[members[j]] = shard.vector(j);
        }
        return DenseVectors.of(ids, vectors, normalize);
    }

    /**
     * The order texts are encoded in: longest first by characters, ties in input order. Consecutive runs of
     * {@code batchSize} texts of this order are the batches, so whoever batches in the same order (the API's
     * {@code Embedder}) gets the same vectors bit for bit.
     */
    public static int[] longestFirst(List<String> texts) {
        return IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -texts.get(i).length()).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    private DenseVectors encodeShard(int[] members, List<String> shardIds, List<String> texts, Progress progress) {
        float[][] rows = new float[members.length][];
        for (int start = 0; start < members.length; start += batchSize) {
            int end = Math.min(members.length, start + batchSize);
            List<String> batch = new ArrayList<>(end - start);
            for (int j = start; j < end; j++) batch.add(texts.get(members[j]));
            float[][] encoded = encoder.encode(batch, maxLength);
            if (encoded.length != batch.size()) {
                throw new IllegalStateException("the encoder returned " + encoded.length + " vectors for "
                        + batch.size() + " texts");
            }
            for (int j = 0; j < encoded.length; j++) {
                float[] row = encoded[j].clone();
                if (normalize) DenseVectors.normalizeInPlace(row);
                rows[start + j] = row;
            }
            progress.advance(batch.size());
        }
        return DenseVectors.of(shardIds, rows, normalize);
    }

    /** Hash of everything that determines the vectors and the shard layout. */
    private String fingerprint(List<String> ids, List<String> texts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((maxLength + "\0" + shardSize + "\0" + normalize + "\0").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < ids.size(); i++) {
                digest.update((ids.get(i) + "\0" + texts.get(i) + "\0").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Creates the checkpoint directory with its manifest, or checks that an existing one is ours. A directory of a
     * different run (other texts or settings, or a manifest that cannot be read) is replaced when it holds no
     * finished shard (nothing is lost), and otherwise refused with what it holds, so its shards are never mixed in.
     */
    private void claim(Path checkpoints, String fingerprint, int count) {
        Path manifest = checkpoints.resolve("manifest.json");
        try {
            if (Files.isDirectory(checkpoints)) {
                JsonNode json = null;
                try {
                    if (Files.isRegularFile(manifest)) json = JSON.readTree(manifest.toFile());
                } catch (com.fasterxml.jackson.core.JsonProcessingException corrupt) {
                    json = null;
                }
                if (json != null && json.path("fingerprint").asText("").equals(fingerprint)) return;
                long shards;
                try (Stream<Path> files = Files.list(checkpoints)) {
                    shards = files.filter(f -> f.getFileName().toString().matches("shard-\\d+\\.vec")).count();
                }
                if (shards > 0) {
                    throw new IllegalStateException(checkpoints + " holds " + shards + " finished shard(s) of a different"
                            + " encoding run (" + (json == null ? "its manifest.json is missing or unreadable"
                            : "that run: " + json.path("texts").asText("?") + " texts, max length "
                            + json.path("max_length").asText("?") + ", shard size " + json.path("shard_size").asText("?")
                            + ", normalize " + json.path("normalize").asText("?") + "; this one: " + count + " texts, max length "
                            + maxLength + ", shard size " + shardSize + ", normalize " + normalize + ", or other texts")
                            + "): run that command again to finish it, or delete " + checkpoints + " to start over");
                }
                deleteCheckpoints(checkpoints); // nothing finished in it: nothing is lost
            }
            Files.createDirectories(checkpoints);
            String text = JSON.createObjectNode().put("fingerprint", fingerprint).put("texts", count)
                    .put("max_length", maxLength).put("shard_size", shardSize).put("normalize", normalize).toString();
            AtomicFiles.writeTextUnchecked(manifest, out -> out.write(text + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use checkpoint directory " + checkpoints + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a checkpoint directory and its files. */
    public static void deleteCheckpoints(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) return;
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path file : files.toList()) Files.delete(file);
            Files.delete(checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoints in " + checkpoints + ": " + e.getMessage(), e);
        }
    }
}
