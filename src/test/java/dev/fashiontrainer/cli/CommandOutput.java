package dev.fashiontrainer.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the real command line in this JVM and keeps what it printed.
 *
 * @param exitCode what {@link FashionTrainer#run} returned
 * @param stdout what went to standard output
 * @param stderr what went to standard error
 */
record CommandOutput(int exitCode, String stdout, String stderr) {

    /** Runs {@code fashion-trainer args...} with standard output and error captured. */
    static synchronized CommandOutput of(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = FashionTrainer.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new CommandOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
