package dev.ranker4j.hfio.hub;

import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The Hugging Face Hub cache layout, shared with {@code huggingface_hub} so Python and ranker4j reuse each other's
 * downloads:
 * <pre>
 * &lt;cache&gt;/models--ORG--NAME/
 *     blobs/&lt;etag&gt;                     file contents, named by the Hub's ETag (git or LFS sha)
 *     blobs/&lt;etag&gt;.incomplete          a download in progress, resumed with a Range request
 *     snapshots/&lt;commit&gt;/&lt;file&gt;       relative symlink to ../../blobs/&lt;etag&gt; (a copy where links fail)
 *     refs/&lt;revision&gt;                  the commit hash a branch or tag resolved to
 * </pre>
 */
public final class HubCache {
    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(HubRepoId repo) {
        return root.resolve(repo.cacheFolderName());
    }

    public Path blob(HubRepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    public Path incomplete(HubRepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag + ".incomplete");
    }

    public Path snapshotDir(HubRepoId repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    public Path snapshotFile(HubRepoId repo, String commit, String file) {
        return snapshotDir(repo, commit).resolve(file);
    }

    /** The commit the repository's revision points to in the cache: the revision itself if it is a hash, else its ref. */
    public Optional<String> commitOf(HubRepoId repo) throws IOException {
        if (repo.revisionIsCommit()) return Optional.of(repo.revision());
        Path ref = repoDir(repo).resolve("refs").resolve(repo.revision());
        if (!Files.isRegularFile(ref)) return Optional.empty();
        return Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip());
    }

    /** Records that {@code repo.revision()} resolved to {@code commit} (atomically; nothing for commit hashes). */
    public void writeRef(HubRepoId repo, String commit) throws IOException {
        if (repo.revision().equals(commit)) return;
        AtomicFiles.write(repoDir(repo).resolve("refs").resolve(repo.revision()), commit.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Points {@code snapshots/<commit>/<file>} at the blob: a relative symlink as huggingface_hub makes, or a copy where
     * the file system refuses links.
     */
    public Path linkSnapshot(HubRepoId repo, String commit, String file, Path blob) throws IOException {
        Path target = snapshotFile(repo, commit, file);
        Files.createDirectories(target.getParent());
        Path relative = target.getParent().relativize(blob);
        Path temp = target.resolveSibling("." + target.getFileName() + ".link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        try {
            Files.createSymbolicLink(temp, relative);
        } catch (UnsupportedOperationException | IOException linkRefused) {
            Files.copy(blob, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        moveAtomically(temp, target);
        return target;
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
