package dev.fashiontrainer.report;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.InputImage;
import dev.fashiontrainer.eval.Prediction;

/**
 * Predictions as CSV, one row per example (an image, or a row of a data file):
 * {@code source,index,label,predicted_label,class_name,probability}.
 * {@code label} is the true class when known and empty otherwise; {@code class_name} names the predicted class.
 * The run directory's {@code predictions.csv} and the {@code predict} command both write this format.
 */
public final class PredictionsCsv {
    /** The header line. */
    public static final String HEADER = "source,index,label,predicted_label,class_name,probability";

    private PredictionsCsv() {
    }

    /**
     * @param out where to write (not closed)
     * @param images the images, in order
     * @param predictions their predictions, in the same order
     * @param classNames one name per class, by label
     */
    public static void write(OutputStream out, List<InputImage> images, List<Prediction> predictions,
                             List<String> classNames) {
        requireOnePer(images.size(), predictions);
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.print(HEADER + "\n");
        for (int i = 0; i < images.size(); i++) {
            InputImage image = images.get(i);
            row(writer, image.source(), image.index(), image.isLabeled() ? String.valueOf(image.label()) : "",
                    predictions.get(i), classNames);
        }
        writer.flush();
    }

    /**
     * @param out where to write (not closed)
     * @param source the data file the examples were read from, each row's {@code source}
     * @param examples labelled examples, each row's {@code index} its position among them
     * @param predictions their predictions, in the same order
     * @param classNames one name per class, by label
     */
    public static void write(OutputStream out, String source, LabeledImages examples, List<Prediction> predictions,
                             List<String> classNames) {
        requireOnePer(examples.size(), predictions);
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.print(HEADER + "\n");
        for (int i = 0; i < examples.size(); i++) {
            row(writer, source, i, String.valueOf(examples.label(i)), predictions.get(i), classNames);
        }
        writer.flush();
    }

    private static void requireOnePer(int examples, List<Prediction> predictions) {
        if (examples != predictions.size()) {
            throw new IllegalArgumentException("expected one prediction per example (" + examples + "), found "
                    + predictions.size());
        }
    }

    private static void row(PrintWriter writer, String source, int index, String label, Prediction prediction,
                            List<String> classNames) {
        writer.print(String.format(Locale.ROOT, "%s,%d,%s,%d,%s,%.6f\n", quoted(source), index, label,
                prediction.predicted(), quoted(classNames.get(prediction.predicted())), prediction.probability()));
    }

    /**
     * RFC 4180 quoting, only where a value needs it (a file name with a comma, say). A value that a spreadsheet
     * would take for a formula (starting with {@code = + - @}, a tab or a carriage return: a PNG named
     * {@code =HYPERLINK(...).png}) is prefixed with {@code '}, OWASP's advice against CSV injection.
     */
    private static String quoted(String value) {
        String text = value.isEmpty() || "=+-@\t\r".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
