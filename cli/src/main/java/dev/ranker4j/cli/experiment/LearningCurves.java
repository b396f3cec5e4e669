package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A line chart of a dev metric over training steps, one line per run and one colour per variant, as an SVG file. */
final class LearningCurves {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 760, HEIGHT = 420, LEFT = 60, RIGHT = 250, TOP = 40, BOTTOM = 50;

    private LearningCurves() {}

    /** The chart, or null when no run has a dev curve with {@code field}. */
    static String svg(Map<String, List<JsonNode>> byVariant, String field, String title) {
        return svg(byVariant, field, title, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    /** As above, plus horizontal reference lines ({@code [{"label", "value"}]}, e.g. the first stage on dev). */
    static String svg(Map<String, List<JsonNode>> byVariant, String field, String title, JsonNode references) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (List<JsonNode> runs : byVariant.values()) {
            for (JsonNode run : runs) {
                for (JsonNode point : run.path("train").path("dev_curve")) {
                    if (!point.has(field)) continue;
                    minX = Math.min(minX, point.path("step").asDouble());
                    maxX = Math.max(maxX, point.path("step").asDouble());
                    minY = Math.min(minY, point.path(field).asDouble());
                    maxY = Math.max(maxY, point.path(field).asDouble());
                }
            }
        }
        if (minX == Double.MAX_VALUE) return null;
        for (JsonNode reference : references) {
            minY = Math.min(minY, reference.path("value").asDouble());
            maxY = Math.max(maxY, reference.path("value").asDouble());
        }
        minX = 0;
        if (maxX == minX) maxX = minX + 1;
        double pad = Math.max(0.01, (maxY - minY) * 0.08);
        minY = Math.floor((minY - pad) * 50) / 50;
        maxY = Math.ceil((maxY + pad) * 50) / 50;
        double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        // Axes and ticks.
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + (int) plotH, LEFT + (int) plotW, TOP + (int) plotH));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, TOP + (int) plotH));
        for (int i = 0; i <= 5; i++) {
            double y = minY + (maxY - minY) * i / 5, py = TOP + plotH - plotH * i / 5;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n", LEFT, py, LEFT + plotW, py, LEFT - 6, py + 4, y));
            double x = minX + (maxX - minX) * i / 5, px = LEFT + plotW * i / 5;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>%n", px, TOP + plotH + 18, Math.round(x)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">training step</text>%n", LEFT + plotW / 2, HEIGHT - 10));
        int colour = 0, legend = 0;
        for (JsonNode reference : references) {
            double py = TOP + plotH - plotH * (reference.path("value").asDouble() - minY) / (maxY - minY);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" "
                    + "stroke-dasharray=\"5,4\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s %.4f</text>%n",
                    LEFT, py, LEFT + plotW, py, LEFT + plotW - 4, py - 4, escape(reference.path("label").asText()),
                    reference.path("value").asDouble()));
        }
        for (var entry : byVariant.entrySet()) {
            String c = COLOURS[colour++ % COLOURS.length];
            boolean drawn = false;
            for (JsonNode run : entry.getValue()) {
                StringBuilder points = new StringBuilder();
                for (JsonNode point : run.path("train").path("dev_curve")) {
                    if (!point.has(field)) continue;
                    double px = LEFT + plotW * (point.path("step").asDouble() - minX) / (maxX - minX);
                    double py = TOP + plotH - plotH * (point.path(field).asDouble() - minY) / (maxY - minY);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                if (points.isEmpty()) continue;
                drawn = true;
                svg.append("<polyline fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"1.5\" points=\"")
                        .append(points.toString().trim()).append("\"/>\n");
            }
            if (!drawn) continue;
            double ly = TOP + 10 + 18 * legend++;
            String label = entry.getValue().getFirst().path("label").asText(entry.getKey());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\">%s (%d)</text>%n", LEFT + plotW + 12, ly, LEFT + plotW + 30, ly, c,
                    LEFT + plotW + 36, ly + 4, escape(shorten(label)), entry.getValue().size()));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String shorten(String label) {
        return label.length() > 30 ? label.substring(0, 29) + "…" : label;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
