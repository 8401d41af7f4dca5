package dev.fashiontrainer.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.report.ProgressConsole;
import dev.fashiontrainer.rundir.ActiveRun;
import sun.misc.Signal;

/**
 * How the trainer ends on SIGTERM (a scheduler's timeout: Airflow's, YARN's, Kubernetes') and SIGINT (Ctrl-C): at
 * once, keeping the last complete checkpoint ({@link ActiveRun#stop}), with one line on standard error,
 * {@code stopped by signal; rerun to resume from epoch K}, and exit code {@link ExitCodes#SIGTERM} or
 * {@link ExitCodes#SIGINT}. The JVM's shutdown hooks still run (Spark's stops its context and removes its
 * temporary files), but nothing they or the unwinding threads print reaches the console after that line: Spark's
 * job cancellations and rejected callbacks are the expected way down, not news for the user.
 */
final class StopOnSignal {
    /** How long a checkpoint being written may take to finish before the process exits anyway. */
    private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(30);
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private StopOnSignal() {
    }

    /**
     * Installs the handlers, and routes standard output and error through gates the stop closes. Call first in
     * {@code main}, before anything keeps a reference to {@code System.err} (log4j's console appender does).
     */
    static void install() {
        Gate out = new Gate(System.out);
        Gate err = new Gate(System.err);
        PrintStream console = System.err;
        // on a terminal the line may hold a progress bar drawn in place, or the ^C the terminal echoed
        String lineStart = ProgressConsole.standardErrorIsTerminal() ? "\r\033[K" : "";
        System.setOut(new PrintStream(out, true, Charset.defaultCharset()));
        System.setErr(new PrintStream(err, true, Charset.defaultCharset()));
        handle("TERM", ExitCodes.SIGTERM, console, lineStart, out, err);
        handle("INT", ExitCodes.SIGINT, console, lineStart, out, err);
    }

    private static void handle(String signal, int exitCode, PrintStream console, String lineStart,
                               Gate... gates) {
        // A signal ignored when the JVM started (SIGINT of a shell's background job) stays ignored: Signal.handle
        // then installs nothing, as the JVM's own handler would not run either.
        try {
            Signal.handle(new Signal(signal), received -> {
                if (STOPPING.getAndSet(true)) {
                    return; // a second signal (Ctrl-C again, a kill after a timeout): the first one ends it
                }
                String advice = ActiveRun.stop(CHECKPOINT_WAIT);
                for (Gate gate : gates) {
                    gate.close();
                }
                console.println(lineStart + (advice.isEmpty() ? "stopped by signal" : "stopped by signal; " + advice));
                console.flush();
                System.exit(exitCode);
            });
        } catch (IllegalArgumentException e) {
            // the JVM runs with -Xrs and leaves the signal to the operating system: it ends the process as before
        }
    }

    /** Passes bytes to the console until closed, then drops them. */
    private static final class Gate extends OutputStream {
        private final PrintStream console;
        private volatile boolean open = true;

        Gate(PrintStream console) {
            this.console = console;
        }

        @Override
        public void write(int b) {
            if (open) {
                console.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (open) {
                console.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() {
            console.flush();
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
