package dev.fashiontrainer.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.fashiontrainer.config.ProgressMode;
import dev.fashiontrainer.progress.EpochProgress;

/**
 * Shows an epoch's progress while its tasks run, on standard error (standard output keeps the seed's lines):
 * on a terminal one line redrawn in place, elsewhere (a file, Airflow's log) a line every few seconds. Each shows
 * the examples done of the epoch's total, examples per second, the running loss and the time left in the epoch
 * and in the run. It draws when news arrives ({@link #accept}, on Spark's listener thread), so it needs no thread
 * of its own.
 */
public final class ProgressConsole implements Consumer<EpochProgress> {
    private static final int BAR_WIDTH = 12;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final ProgressMode mode;
    private final long intervalNanos;
    private final PrintStream err;
    private final int epochs;
    private final long examplesPerEpoch;
    private final List<Double> finishedEpochSeconds = new ArrayList<>();
    private int epoch;
    private boolean training;
    private long epochStart;
    // The epoch's first news: the rate is measured from there, not from the epoch's start, which also counts
    // shipping the data and the model to the executors.
    private long firstNewsAt;
    private long examplesAtFirstNews = -1;
    private long lastDrawn;
    private boolean barShown;

    /**
     * @param mode {@link ProgressMode#BAR}, {@link ProgressMode#LINES} or {@link ProgressMode#OFF} (resolved)
     * @param intervalSeconds seconds between two lines
     * @param err where to draw
     * @param epochs epochs in the run
     * @param examplesPerEpoch examples an epoch trains on
     */
    public ProgressConsole(ProgressMode mode, int intervalSeconds, PrintStream err, int epochs,
                           long examplesPerEpoch) {
        if (mode == ProgressMode.AUTO) {
            throw new IllegalArgumentException("resolve the progress mode first (ProgressMode.resolve)");
        }
        this.mode = mode;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.err = err;
        this.epochs = epochs;
        this.examplesPerEpoch = examplesPerEpoch;
    }

    /**
     * @return whether this process's standard error is a terminal; Java tells only about standard input and
     *     output ({@link System#console()}), so on Linux it asks where file descriptor 2 points
     */
    public static boolean standardErrorIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** Starts timing an epoch; the time since the previous start is that epoch's length, for the run's ETA. */
    public synchronized void epochStarted(int epoch) {
        long now = System.nanoTime();
        if (this.epoch > 0) {
            finishedEpochSeconds.add((now - epochStart) / 1e9);
        }
        this.epoch = epoch;
        this.training = true;
        this.epochStart = now;
        this.examplesAtFirstNews = -1;
        this.lastDrawn = now;
        if (mode == ProgressMode.BAR) {
            draw(new EpochProgress(epoch, List.of(), false, System.currentTimeMillis()), now);
        }
    }

    /** Clears the bar, so that the epoch's report starts on a clean line; later news of it is ignored. */
    public synchronized void epochTrained() {
        if (barShown) {
            err.print("\r\033[K");
            err.flush();
            barShown = false;
        }
        training = false;
    }

    /** Takes news of the running epoch; draws it when it is time to. */
    @Override
    public synchronized void accept(EpochProgress progress) {
        if (!training || progress.epoch() != epoch || mode == ProgressMode.OFF) {
            return;
        }
        long now = System.nanoTime();
        if (examplesAtFirstNews < 0) {
            firstNewsAt = now;
            examplesAtFirstNews = progress.examples();
        }
        if (mode == ProgressMode.BAR && now - lastDrawn >= REDRAW_NANOS) {
            draw(progress, now);
        } else if (mode == ProgressMode.LINES && now - lastDrawn >= intervalNanos) {
            err.println(line(progress, now));
            err.flush();
            lastDrawn = now;
        }
    }

    private void draw(EpochProgress progress, long now) {
        err.print("\r" + bar(progress, now) + "\033[K");
        err.flush();
        barShown = true;
        lastDrawn = now;
    }

    /** {@code Epoch 2/10 [#########-----------]  45% 27000/60000 21400 ex/s loss 0.5123 ETA 0:02, run 0:21} */
    String bar(EpochProgress progress, long now) {
        long done = progress.examples();
        int filled = (int) (BAR_WIDTH * Math.min(1.0, (double) done / examplesPerEpoch));
        Timing timing = timing(done, now);
        return String.format("Epoch %d/%d [%s%s] %3.0f%% %d/%d %s ex/s loss %s ETA %s, run %s", epoch, epochs,
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), 100.0 * done / examplesPerEpoch, done,
                examplesPerEpoch, rate(timing), loss(progress), duration(timing.epochLeft), duration(timing.runLeft));
    }

    /**
     * {@code Progress: epoch 2/10, 27000/60000 examples (45%), 21400 examples/s, loss 0.5123, ETA epoch 0:02,
     * run 0:21; minibatches: worker 1 211, worker 2 210}
     */
    String line(EpochProgress progress, long now) {
        long done = progress.examples();
        Timing timing = timing(done, now);
        String minibatches = progress.workers().stream()
                .map(w -> "worker " + (w.worker() + 1) + " " + w.minibatches()).collect(Collectors.joining(", "));
        return String.format("Progress: epoch %d/%d, %d/%d examples (%.0f%%), %s examples/s, loss %s, ETA epoch %s,"
                        + " run %s; minibatches: %s", epoch, epochs, done, examplesPerEpoch,
                100.0 * done / examplesPerEpoch, rate(timing), loss(progress), duration(timing.epochLeft),
                duration(timing.runLeft), minibatches);
    }

    private Timing timing(long done, long now) {
        double elapsed = (now - epochStart) / 1e9;
        double measured = (now - firstNewsAt) / 1e9;
        double perSecond = examplesAtFirstNews >= 0 && measured > 0 ? (done - examplesAtFirstNews) / measured : 0;
        double epochLeft = perSecond > 0 ? (examplesPerEpoch - done) / perSecond : Double.NaN;
        // later epochs take as long as the finished ones did on average (evaluation included), or else this one
        double perEpoch = finishedEpochSeconds.isEmpty() ? elapsed + epochLeft
                : finishedEpochSeconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new Timing(perSecond, epochLeft, epochLeft + (epochs - epoch) * perEpoch);
    }

    private static String rate(Timing timing) {
        return timing.perSecond > 0 ? String.format("%.0f", timing.perSecond) : "-";
    }

    private static String loss(EpochProgress progress) {
        double loss = progress.meanLoss();
        return Double.isNaN(loss) ? "-" : String.format("%.4f", loss);
    }

    /** @return {@code 1:02:03}, {@code 2:03}, or {@code -} when not known yet */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private record Timing(double perSecond, double epochLeft, double runLeft) {
    }
}
