package dev.fashiontrainer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.fashiontrainer.cli.FashionTrainer;

/**
 * The trainer's command line run in the test JVM (reusing its Spark context), with its output captured.
 *
 * @param code the exit code
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
public record CommandRun(int code, String stdout, String stderr) {

    /** Runs {@code args} as the command line would. */
    public static CommandRun of(List<String> args) {
        TestSpark.context(); // the command reuses the running context instead of starting its own
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = FashionTrainer.run(args.toArray(String[]::new));
            return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** @return the {@code error:} line, or a note that there is none followed by all of standard error */
    public String errorLine() {
        return stderr.lines().filter(l -> l.startsWith("error:")).findFirst().orElse("(no error line) " + stderr);
    }
}
