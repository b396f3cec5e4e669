package dev.ranker4j.ir.data;

import java.nio.file.Path;

/**
 * One line of a text data file together with where it came from, so every parser can say exactly where a problem is.
 *
 * @param file   the file the line was read from
 * @param number 1-based line number
 * @param text   the line without its line terminator
 */
public record Line(Path file, long number, String text) {

    /** An exception naming this file, line and field. */
    public DataFormatException error(String field, String problem) {
        return new DataFormatException(file, number, "field '" + field + "': " + problem);
    }

    /** An exception naming this file and line (for problems with the line as a whole). */
    public DataFormatException error(String problem) {
        return new DataFormatException(file, number, problem);
    }

    /**
     * Splits the line on single tab characters and checks the number of columns; {@code columnNames} names them for the
     * error message. Tabs are the separator in every TSV format here, so text columns may contain spaces.
     */
    public String[] splitTabs(String... columnNames) {
        String[] fields = text.split("\t", -1);
        if (fields.length != columnNames.length) {
            throw error("expected " + columnNames.length + " tab-separated columns (" + String.join(", ", columnNames)
                    + ") but found " + fields.length);
        }
        return fields;
    }

    /**
     * Splits the line on runs of white space, as trec_eval does for runs and qrels, and checks the number of columns.
     */
    public String[] splitWhitespace(String... columnNames) {
        String[] fields = text.strip().split("\\s+");
        if (fields.length != columnNames.length) {
            throw error("expected " + columnNames.length + " white-space-separated columns ("
                    + String.join(" ", columnNames) + ") but found " + fields.length);
        }
        return fields;
    }

    /** Parses {@code value} (the column called {@code field}) as an int, or fails naming the field. */
    public int parseInt(String field, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw error(field, '"' + value + "\" is not an integer");
        }
    }

    /** Parses {@code value} (the column called {@code field}) as a finite double, or fails naming the field. */
    public double parseDouble(String field, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw error(field, '"' + value + "\" is not a number");
        }
        if (!Double.isFinite(parsed)) throw error(field, '"' + value + "\" is not a finite number");
        return parsed;
    }

    /**
     * Fails naming the field when {@code value} is empty or holds white space or a control character (a TSV id with
     * a stray "\r" or space could never match the same id elsewhere); returns it otherwise.
     */
    public String requireId(String field, String value) {
        requireNonEmpty(field, value);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\uFEFF') {
                throw error(field, "\"" + value.replace("\r", "\\r") + "\" holds white space or a control character (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        return value;
    }

    /** Fails naming the field when {@code value} is empty; returns it otherwise. */
    public String requireNonEmpty(String field, String value) {
        if (value.isEmpty()) throw error(field, "is empty");
        return value;
    }
}
