package dev.fashiontrainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed recipe on each Spark line and JVM from one benchmark run ({@code submit/benchmark.sh --spark-lines}):
 * the steady epoch, the first epoch, the accuracy and loss reached, whether every epoch's losses and accuracies
 * equal the first line's, and the line's job jar. The runs alternate between the lines, so a machine whose speed
 * drifts during the run slows them alike.
 */
final class SparkLinesTable {
    /**
     * One way to run the trainer.
     *
     * @param sparkLine {@code 3.5} or {@code 4}, as {@code SPARK_LINE} spells it
     * @param javaHome the JDK it runs on
     * @param jobJar the line's job jar
     */
    record Line(String sparkLine, Path javaHome, Path jobJar) {
        /** @return the JDK's version, from its {@code release} file */
        String javaVersion() throws IOException {
            return Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_VERSION=")).map(l -> l.substring(13).replace("\"", ""))
                    .findFirst().orElse("unknown");
        }
    }

    private final Map<Line, List<TrainerRun>> runs = new LinkedHashMap<>();

    void add(Line line, TrainerRun run) {
        runs.computeIfAbsent(line, k -> new ArrayList<>()).add(run);
    }

    /**
     * @param heading the machine and load line
     * @param workers workers of every run
     * @return the table
     */
    String markdown(String heading, int workers) throws IOException {
        StringBuilder md = new StringBuilder(heading).append("\n\n");
        md.append("| Spark line | Java | steady epoch | first epoch | test accuracy, loss after the last epoch"
                + " | every epoch's losses and accuracies | job jar |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        List<Map<String, Object>> reference = null;
        for (Map.Entry<Line, List<TrainerRun>> entry : runs.entrySet()) {
            Line line = entry.getKey();
            List<TrainerRun> lineRuns = entry.getValue();
            TrainerRun last = lineRuns.get(lineRuns.size() - 1);
            List<Map<String, Object>> numbers = reproducible(last);
            String same = reference == null ? "the reference" : numbers.equals(reference) ? "identical to the first"
                    + " line's" : "**differ** from the first line's";
            if (reference == null) {
                reference = numbers;
            }
            Map<String, Object> lastEpoch = last.metrics().get(last.metrics().size() - 1);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f%%, %.6f | %s | %,d bytes |%n",
                    line.sparkLine(), line.javaVersion(), seconds(lineRuns, TrainerRun::steadySeconds),
                    seconds(lineRuns, r -> r.trainSeconds().get(0)),
                    100 * ((Number) lastEpoch.get("test_accuracy")).doubleValue(),
                    ((Number) lastEpoch.get("test_loss")).doubleValue(), same, Files.size(line.jobJar())));
        }
        md.append(String.format(Locale.ROOT, "%nEach row: `submit/local.sh --workers %d` with `SPARK_LINE` and"
                + " `JAVA_HOME` set, seed recipe; epochs are training only (the test evaluation is not in them),"
                + " steady = median of epochs 2 to the last, one figure per repeat.%n", workers));
        return md.toString();
    }

    private static String seconds(List<TrainerRun> runs, java.util.function.ToDoubleFunction<TrainerRun> value) {
        return String.join(", ", runs.stream().map(r -> String.format(Locale.ROOT, "%.2f s", value.applyAsDouble(r)))
                .toList());
    }

    // what a run computed, without how long it took
    private static List<Map<String, Object>> reproducible(TrainerRun run) {
        List<Map<String, Object>> numbers = new ArrayList<>();
        for (Map<String, Object> epoch : run.metrics()) {
            Map<String, Object> kept = new LinkedHashMap<>();
            for (String key : List.of("epoch", "train_loss", "test_loss", "test_accuracy")) {
                kept.put(key, epoch.get(key));
            }
            numbers.add(kept);
        }
        return numbers;
    }
}
