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
 * Predictions as CSV, one row per image: {@code source,index,label,predicted_label,class_name,probability}.
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
     */
    public static void write(OutputStream out, List<InputImage> images, List<Prediction> predictions) {
        if (images.size() != predictions.size()) {
            throw new IllegalArgumentException("expected one prediction per image (" + images.size() + "), found "
                    + predictions.size());
        }
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.print(HEADER + "\n");
        for (int i = 0; i < images.size(); i++) {
            InputImage image = images.get(i);
            Prediction prediction = predictions.get(i);
            writer.print(String.format(Locale.ROOT, "%s,%d,%s,%d,%s,%.6f\n", quoted(image.source()), image.index(),
                    image.isLabeled() ? String.valueOf(image.label()) : "", prediction.predicted(),
                    quoted(LabeledImages.CLASS_NAMES.get(prediction.predicted())), prediction.probability()));
        }
        writer.flush();
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
