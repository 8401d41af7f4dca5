package dev.fashiontrainer.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.fashiontrainer.ExitCodes;

/**
 * The trainer as the driver of a YARN cluster-mode application, where it runs inside Spark's ApplicationMaster.
 * There a {@code System.exit}, even with 0, makes the ApplicationMaster's shutdown hook report the application
 * FAILED ("Shutdown hook called before final status was reported", exit code 16) and YARN start the driver again.
 * So a successful run returns from {@code main} (final status SUCCEEDED) and a failed one throws
 * {@link ExitStatusException}, whose message (the trainer's {@code error:} line and exit code) YARN shows as the
 * application's diagnostics.
 */
final class YarnDriver {
    /** Set by Spark's ApplicationMaster before it starts the user's main class in cluster deploy mode. */
    private static final String APPLICATION_ID_PROPERTY = "spark.yarn.app.id";

    private YarnDriver() {
    }

    /** @return whether this JVM is a YARN ApplicationMaster running the trainer as its driver */
    static boolean insideApplicationMaster() {
        return System.getProperty(APPLICATION_ID_PROPERTY) != null;
    }

    /**
     * Runs the command line, still writing everything to standard error as usual.
     *
     * @throws ExitStatusException when the exit code is not {@link ExitCodes#OK}
     */
    static void run(String[] args) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = FashionTrainer.run(args);
        } finally {
            System.err.flush();
            System.setErr(original);
        }
        if (code != ExitCodes.OK) {
            throw new ExitStatusException(code, firstLine(copy.toString(StandardCharsets.UTF_8)));
        }
    }

    /** @return the {@code error:} line, else the first line (a failure that escaped {@link ErrorHandling}) */
    private static String firstLine(String stderr) {
        return stderr.lines().filter(line -> line.startsWith("error: ")).findFirst()
                .orElseGet(() -> stderr.lines().filter(line -> !line.isBlank()).findFirst().orElse("(no message)"));
    }

    /**
     * Writes to standard error and keeps a copy of the end, where the error line is (a long run's progress lines
     * are dropped from the front of the copy once it passes {@link #LIMIT}).
     */
    private static final class Tee extends OutputStream {
        private static final int LIMIT = 1 << 20;
        private static final int KEPT = 64 << 10;

        private final PrintStream out;
        private final ByteArrayOutputStream copy;

        Tee(PrintStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            out.write(bytes, offset, length);
            copy.write(bytes, offset, length);
            if (copy.size() > LIMIT) {
                byte[] all = copy.toByteArray();
                copy.reset();
                copy.write(all, all.length - KEPT, KEPT);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
