package dev.fashiontrainer.report;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The run's {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the
 * loss and accuracy curves, the confusion matrix with per-class precision and recall, and everything
 * {@code run.json} records about the run. Any browser shows it offline, and it can be mailed as one file.
 */
public final class HtmlReport {
    /** Colours of the train and test series (matplotlib's first two, as in the notebooks). */
    public static final String TRAIN_COLOR = "#1f77b4";
    /** Colour of the test series. */
    public static final String TEST_COLOR = "#ff7f0e";

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; }
            h1 { font-size: 1.5em; margin-bottom: 4px; } h2 { font-size: 1.2em; margin-top: 28px; }
            .summary { color: #444; margin-top: 0; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            svg.chart { border: 1px solid #ddd; background: #fff; }
            svg .title { font-size: 14px; font-weight: 600; } svg .tick, svg .legend { font-size: 11px; }
            svg .label { font-size: 12px; } svg .grid { stroke: #e6e6e6; } svg .axis { stroke: #444; }
            table { border-collapse: collapse; font-size: 13px; }
            td, th { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
            th { background: #f4f4f4; } td.key, th.key { text-align: left; }
            table.confusion td { min-width: 38px; }
            table.settings td { text-align: left; font-family: ui-monospace, monospace; word-break: break-all; }
            .sections { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
            """;

    private HtmlReport() {
    }

    /**
     * @param manifest the content of {@code run.json}
     * @param metrics the epochs so far, in order, at least one
     * @param evaluation the final test evaluation
     * @return the page
     */
    public static String render(Map<String, Object> manifest, List<EpochMetrics> metrics,
                                FinalEvaluation evaluation) {
        JsonNode run = Json.mapper().valueToTree(manifest);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>fashion-trainer run report</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<h1>fashion-trainer run report</h1>\n");
        html.append(String.format(Locale.ROOT, "<p class=\"summary\">Test accuracy <b>%.2f%%</b>, average loss %.6f"
                + " on %d test images after %d epoch%s. Run directory: %s</p>%n", 100 * evaluation.accuracy(),
                evaluation.averageLoss(), evaluation.examples(), metrics.size(), metrics.size() == 1 ? "" : "s",
                Html.escape(run.path("output").asText())));
        html.append("<h2>Curves</h2>\n<div class=\"charts\">\n").append(curves(metrics)).append("</div>\n");
        html.append("<h2>Confusion matrix (rows: true class, columns: predicted class)</h2>\n")
                .append(confusion(evaluation));
        html.append("<h2>Settings and provenance (run.json)</h2>\n<div class=\"sections\">\n")
                .append(settings(run)).append("</div>\n</body>\n</html>\n");
        return html.toString();
    }

    private static String curves(List<EpochMetrics> metrics) {
        int n = metrics.size();
        double[] epochs = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] accuracy = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics m = metrics.get(i);
            epochs[i] = m.epoch();
            trainLoss[i] = m.trainLoss();
            testLoss[i] = m.testLoss();
            accuracy[i] = 100 * m.testAccuracy();
        }
        return SvgLineChart.render("Loss per epoch", "epoch", "loss", "", List.of(
                        new SvgLineChart.Series("train loss", TRAIN_COLOR, epochs, trainLoss),
                        new SvgLineChart.Series("test loss", TEST_COLOR, epochs, testLoss)))
                + SvgLineChart.render("Test accuracy per epoch", "epoch", "accuracy", "%", List.of(
                        new SvgLineChart.Series("test accuracy", TEST_COLOR, epochs, accuracy)));
    }

    private static String confusion(FinalEvaluation evaluation) {
        long[][] matrix = evaluation.confusionMatrix();
        List<FinalEvaluation.ClassMetrics> classes = evaluation.classes();
        StringBuilder table = new StringBuilder("<table class=\"confusion\">\n<tr><th class=\"key\">true \\ predicted"
                + "</th>");
        for (FinalEvaluation.ClassMetrics c : classes) {
            table.append("<th>").append(Html.escape(c.name())).append("</th>");
        }
        table.append("<th>recall</th></tr>\n");
        for (int a = 0; a < matrix.length; a++) {
            table.append("<tr><th class=\"key\">").append(Html.escape(classes.get(a).name())).append("</th>");
            long support = Math.max(1, classes.get(a).support());
            for (int p = 0; p < matrix[a].length; p++) {
                // Shade by the fraction of the true class: blue on the diagonal (right), red elsewhere (wrong).
                double share = (double) matrix[a][p] / support;
                String rgb = a == p ? "31,119,180" : "214,39,40";
                table.append(String.format(Locale.ROOT, "<td style=\"background: rgba(%s,%.3f)%s\">%d</td>", rgb,
                        Math.min(1, a == p ? share : 3 * share), share > 0.5 ? "; color: #fff" : "", matrix[a][p]));
            }
            table.append(String.format(Locale.ROOT, "<td>%.1f%%</td></tr>%n", 100 * classes.get(a).recall()));
        }
        table.append("<tr><th class=\"key\">precision</th>");
        for (FinalEvaluation.ClassMetrics c : classes) {
            table.append(String.format(Locale.ROOT, "<td>%.1f%%</td>", 100 * c.precision()));
        }
        return table.append("<td></td></tr>\n</table>\n").toString();
    }

    /** One table per object of {@code run.json} (settings, data, versions, ...) and one for its plain values. */
    private static String settings(JsonNode run) {
        List<String> tables = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = run.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject()) {
                StringBuilder rows = new StringBuilder();
                flatten("", field.getValue(), rows);
                tables.add(table(field.getKey(), rows));
            } else {
                plain.append(row(field.getKey(), field.getValue()));
            }
        }
        tables.add(0, table("run", plain));
        return String.join("", tables);
    }

    private static void flatten(String prefix, JsonNode node, StringBuilder rows) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject()) {
                flatten(prefix + field.getKey() + ".", field.getValue(), rows);
            } else {
                rows.append(row(prefix + field.getKey(), field.getValue()));
            }
        }
    }

    private static String row(String key, JsonNode value) {
        return "<tr><td class=\"key\">" + Html.escape(key) + "</td><td>"
                + Html.escape(value.isValueNode() ? value.asText() : value.toString()) + "</td></tr>\n";
    }

    private static String table(String title, CharSequence rows) {
        return "<table class=\"settings\">\n<tr><th class=\"key\" colspan=\"2\">" + Html.escape(title) + "</th></tr>\n"
                + rows + "</table>\n";
    }
}
