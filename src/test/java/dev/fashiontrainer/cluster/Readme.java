package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.nio.file.Files;

/** The commands README.md shows, for the tests that run them as written. */
final class Readme {
    private Readme() {
    }

    /**
     * @param marker an HTML comment line in README.md naming the test that runs the next block
     * @return the bash block that follows the marker
     */
    static String commandAfter(String marker) throws IOException {
        String readme = Files.readString(SubmittedJob.projectRoot().resolve("README.md"));
        int at = readme.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("expected the line " + marker + " in README.md; found none");
        }
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end).trim();
    }
}
