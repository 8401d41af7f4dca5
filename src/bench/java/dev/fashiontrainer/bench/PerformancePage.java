package dev.fashiontrainer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a benchmark table into the performance page between its markers, with the date and the command that
 * made it, so the page always shows the last run's table rather than a pasted one.
 */
final class PerformancePage {
    static final String START = "<!-- benchmark table -->";
    static final String END = "<!-- end of benchmark table -->";

    private PerformancePage() {
    }

    /**
     * @param page the Markdown page holding {@link #START} and {@link #END}
     * @param started when the benchmark started (UTC)
     * @param command the command that made the table
     * @param table the table, with its machine line
     * @throws IllegalStateException when the page lacks the markers
     */
    static void replaceTable(Path page, String started, String command, String table) throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalStateException(page + ": expected the markers " + START + " and " + END
                    + " around the benchmark table, found " + (start < 0 ? "no start marker" : "no end marker after it"));
        }
        String section = START + "\n### " + started + " UTC\n\nThe table `" + command + "` printed. The machines are"
                + " shared: compare rows within one table, not across tables.\n\n" + table.strip() + "\n";
        Files.writeString(page, text.substring(0, start) + section + text.substring(end), StandardCharsets.UTF_8);
    }
}
