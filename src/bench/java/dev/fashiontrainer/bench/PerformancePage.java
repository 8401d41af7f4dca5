package dev.fashiontrainer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a benchmark table into a Markdown page between its markers, with the date and the command that made it,
 * so the page always shows the last run's table rather than a pasted one. A table's markers are
 * {@code <!-- NAME -->} and {@code <!-- end of NAME -->}: the whole benchmark's is {@link #BENCHMARK}; the last
 * {@code --trainer-only} table of each network has a pair of its own, added inside {@link #NETWORKS} the first time
 * that network is measured.
 */
final class PerformancePage {
    /** The whole benchmark's table. */
    static final String BENCHMARK = "benchmark table";
    /** Where the trainer-only tables of each network are kept. */
    static final String NETWORKS = "trainer-only benchmark tables";
    /** MLlib's perceptron against this trainer on data other than Fashion-MNIST. */
    static final String MLPC_PEER = "MLPC peer table";
    /** The seed recipe on each Spark line and JVM (docs/spark-versions.md). */
    static final String SPARK_LINES = "spark lines table";

    private PerformancePage() {
    }

    /**
     * @param page the Markdown page holding the markers of {@code name}
     * @param name the table's name in its markers, e.g. {@link #BENCHMARK}
     * @param heading the table's heading, dated
     * @param command the command that made the table
     * @param table the table, with its machine line
     * @throws IllegalStateException when the page lacks the markers
     */
    static void replaceTable(Path page, String name, String heading, String command, String table)
            throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        Files.writeString(page, replaced(page, text, name, heading, command, table), StandardCharsets.UTF_8);
    }

    /**
     * @param page the Markdown page holding the markers of {@link #NETWORKS}
     * @param network the network measured, e.g. {@code 784-256-10}: its previous table, if any, is replaced
     * @param started when the benchmark started (UTC)
     * @param command the command that made the table
     * @param table the table, with its machine line
     * @throws IllegalStateException when the page lacks the markers
     */
    static void replaceNetworkTable(Path page, String network, String started, String command, String table)
            throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        String name = "trainer-only benchmark table " + network;
        if (!text.contains(start(name))) {
            int networksEnd = markers(page, text, NETWORKS)[1];
            text = text.substring(0, networksEnd) + start(name) + "\n" + end(name) + "\n\n"
                    + text.substring(networksEnd);
        }
        Files.writeString(page, replaced(page, text, name, network + ", " + started + " UTC", command, table),
                StandardCharsets.UTF_8);
    }

    private static String replaced(Path page, String text, String name, String heading, String command,
                                   String table) {
        int[] at = markers(page, text, name);
        String section = start(name) + "\n### " + heading + "\n\nThe table `" + command + "` printed. The machines"
                + " are shared: compare rows within one table, not across tables.\n\n" + table.strip() + "\n";
        return text.substring(0, at[0]) + section + text.substring(at[1]);
    }

    /** @return where the start marker of {@code name} and its end marker begin in {@code text} */
    private static int[] markers(Path page, String text, String name) {
        int start = text.indexOf(start(name));
        int end = text.indexOf(end(name));
        if (start < 0 || end < start) {
            throw new IllegalStateException(page + ": expected the markers " + start(name) + " and " + end(name)
                    + " around the benchmark table, found " + (start < 0 ? "no start marker" : "no end marker after it"));
        }
        return new int[] {start, end};
    }

    private static String start(String name) {
        return "<!-- " + name + " -->";
    }

    private static String end(String name) {
        return "<!-- end of " + name + " -->";
    }
}
