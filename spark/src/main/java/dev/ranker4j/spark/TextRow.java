package dev.ranker4j.spark;

import java.io.Serializable;

/**
 * One text of a corpus or query file as the jobs move it around: its id, the text a model sees (for a document
 * {@code title + " " + text}) and its position in the file (the line index), which breaks ties as the single-machine
 * commands break them.
 */
record TextRow(String id, String text, long position) implements Serializable {}
