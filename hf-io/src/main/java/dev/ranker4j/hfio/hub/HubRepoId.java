package dev.ranker4j.hfio.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the Hugging Face Hub and the revision wanted: {@code ORG/NAME[@revision]}, e.g.
 * {@code sentence-transformers/all-MiniLM-L6-v2@main}. The revision is a branch, a tag or a commit hash; "main" when
 * omitted. Legacy repositories without an organisation ({@code bert-base-uncased}) are accepted too.
 */
public record HubRepoId(String repo, String revision) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubRepoId {
        String[] parts = repo.split("/", -1);
        if (parts.length > 2 || !PART.matcher(parts[0]).matches() || (parts.length == 2 && !PART.matcher(parts[1]).matches())
                || repo.contains("..") || repo.contains("--")) {
            throw new IllegalArgumentException("'" + repo + "' is not a Hugging Face repository id (ORG/NAME)");
        }
        if (revision.isEmpty() || revision.contains("..") || revision.startsWith("/") || revision.contains("\\")) {
            throw new IllegalArgumentException("'" + revision + "' is not a valid revision of " + repo);
        }
    }

    /** Parses {@code ORG/NAME[@revision]}. */
    public static HubRepoId parse(String spec) {
        int at = spec.lastIndexOf('@');
        return at < 0 ? new HubRepoId(spec, "main") : new HubRepoId(spec.substring(0, at), spec.substring(at + 1));
    }

    /** True when the revision is a full commit hash, which needs no ref to resolve. */
    public boolean revisionIsCommit() {
        return COMMIT.matcher(revision).matches();
    }

    /** The same repository at another revision. */
    public HubRepoId at(String otherRevision) {
        return new HubRepoId(repo, otherRevision);
    }

    /** The cache folder name: {@code models--ORG--NAME}. */
    public String cacheFolderName() {
        return "models--" + repo.replace("/", "--");
    }

    @Override
    public String toString() {
        return repo + "@" + revision;
    }
}
