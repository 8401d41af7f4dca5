package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.nio.file.Files;

/** The commands the documentation shows, for the tests that run them as written. */
final class DocumentedCommand {
    /** The page that shows the cluster commands. */
    static final String CLUSTER_PAGE = "docs/cluster.md";

    private DocumentedCommand() {
    }

    /**
     * @param page a Markdown file, relative to the project's root
     * @param marker an HTML comment line in it naming the test that runs the next block
     * @return the bash block that follows the marker
     */
    static String after(String page, String marker) throws IOException {
        String text = Files.readString(SubmittedJob.projectRoot().resolve(page));
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("expected the line " + marker + " in " + page + "; found none");
        }
        int start = text.indexOf("```bash\n", at) + "```bash\n".length();
        int end = text.indexOf("```", start);
        return text.substring(start, end).trim();
    }
}
