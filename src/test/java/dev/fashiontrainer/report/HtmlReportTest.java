package dev.fashiontrainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;

/**
 * Opens a real run's {@code report.html} in headless Chromium, as a reader would. Skipped only where Chromium is
 * not installed; {@code .ci/run} installs it and sets {@code FASHION_TRAINER_REQUIRE_CHROMIUM} so CI never skips.
 */
class HtmlReportTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]*points=\"([^\"]*)\"");

    @TempDir
    Path scratch;

    @Test
    void theReportFetchesNothingFromOutside() throws IOException {
        String html = Files.readString(TestRuns.small().resolve(TrainingRun.REPORT_FILE));
        for (String fetching : new String[] {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(",
                "@import"}) {
            assertFalse(html.contains(fetching), "report.html must be self-contained, found " + fetching);
        }
        for (String name : List.of("T-shirt/top", "Ankle boot", "learning_rate", "spark_master")) {
            assertTrue(html.contains(name), "the report shows " + name);
        }
    }

    @Test
    void chromiumLoadsTheReportWithoutErrorsAndDrawsTheCharts() throws Exception {
        boolean required = System.getenv("FASHION_TRAINER_REQUIRE_CHROMIUM") != null;
        assumeTrue(required || new File(CHROMIUM).canExecute(),
                CHROMIUM + " is not installed (apt-get install chromium): the report is not checked in a browser");
        Path report = TestRuns.small().resolve(TrainingRun.REPORT_FILE);

        Result dom = chromium("--dump-dom", report.toUri().toString());
        assertEquals(0, dom.exitCode(), "chromium failed: " + dom.stderr());
        assertTrue(dom.stdout().contains("fashion-trainer run report"), "the page loaded: " + dom.stdout());
        // Chromium logs every console message (script errors among them) as CONSOLE lines with --enable-logging.
        assertFalse(dom.stderr().contains("CONSOLE"), "console messages: " + dom.stderr());
        List<String> lines = new ArrayList<>();
        Matcher polyline = POLYLINE.matcher(dom.stdout());
        while (polyline.find()) {
            lines.add(polyline.group(1));
        }
        assertEquals(3, lines.size(), "train loss, test loss and test accuracy");
        for (String points : lines) {
            assertEquals(2, points.trim().split(" ").length, "one point per epoch: " + points);
        }

        Path png = scratch.resolve("report.png");
        Result shot = chromium("--window-size=1280,1400", "--screenshot=" + png, report.toUri().toString());
        assertEquals(0, shot.exitCode(), "chromium failed: " + shot.stderr());
        BufferedImage image = ImageIO.read(png.toFile());
        // The series colours appear only in the charts, so their pixels show that the lines were painted.
        assertTrue(pixelsOf(image, HtmlReport.TRAIN_COLOR) > 100, "train loss line drawn");
        assertTrue(pixelsOf(image, HtmlReport.TEST_COLOR) > 200, "test loss and accuracy lines drawn");
    }

    private static int pixelsOf(BufferedImage image, String color) {
        int rgb = Integer.parseInt(color.substring(1), 16);
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return count;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result chromium(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "profile")));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(scratch, "chromium", ".out");
        Path err = Files.createTempFile(scratch, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
