package dev.ranker4j.hfio.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a {@code --model} argument names: an existing directory is used as it is; otherwise an argument of the form
 * {@code ORG/NAME[@revision]} (or a legacy {@code NAME}) is a Hugging Face Hub model, downloaded by
 * {@link HubDownloader} into the shared Hub cache (or found there with {@code HF_HUB_OFFLINE=1}) and answered with
 * its snapshot directory. A directory always wins, so a local folder that happens to look like a repository id is
 * never shadowed by the Hub. Every command that takes a model uses this one rule.
 */
public final class ModelLocator {
    private ModelLocator() {}

    /** Resolves {@code argument} with the Hub settings of the environment ({@link HubSettings#fromEnvironment()}). */
    public static Path locate(String argument) throws IOException {
        return locate(argument, HubSettings.fromEnvironment());
    }

    /**
     * Resolves {@code argument}.
     *
     * @throws IllegalArgumentException when it is neither a directory nor a Hub model id, or the Hub cannot provide it
     *                                  (the message names the argument and the Hub's reason)
     */
    public static Path locate(String argument, HubSettings settings) throws IOException {
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) return path;
        if (Files.exists(path)) throw new IllegalArgumentException(argument + ": is a file, not a model directory");
        HubRepoId repo = hubId(argument);
        if (repo == null) throw new IllegalArgumentException(argument + ": no such model directory");
        try {
            return new HubDownloader(settings).downloadModel(repo);
        } catch (IOException e) {
            // A connection failure's exception often has no message of its own: say what it was.
            throw new IllegalArgumentException(argument + ": not a directory, and not available from the Hub: "
                    + reason(e) + " (no directory " + path.toAbsolutePath() + ")", e);
        }
    }

    /** The first message in the cause chain, or the exception's kind when none has one. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t == e ? t.getMessage() : t.getMessage() + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        return e.getClass().getSimpleName() + " (no connection to the Hub?)";
    }

    /** The repository id {@code argument} spells, or null when it reads as a file-system path. */
    static HubRepoId hubId(String argument) {
        if (argument.startsWith(".") || argument.startsWith("/") || argument.startsWith("~") || argument.contains("\\")) {
            return null;
        }
        try {
            return HubRepoId.parse(argument);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }
}
