package dev.fashiontrainer;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.fashiontrainer.epochs.EpochListener;
import dev.fashiontrainer.epochs.LoopState;
import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.progress.LiveProgress;
import dev.fashiontrainer.report.ConsoleReport;
import dev.fashiontrainer.report.ProgressConsole;
import dev.fashiontrainer.rundir.ActiveRun;
import dev.fashiontrainer.rundir.Checkpoint;
import dev.fashiontrainer.rundir.RunLock;
import dev.fashiontrainer.train.EpochResult;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * What the command line does around each epoch of the shared loop: the seed's console lines and the live progress,
 * and a checkpoint every {@code --checkpoint-every} epochs and after the last one (so that a failure while writing
 * the outputs loses no training).
 */
final class RunEpochs implements EpochListener {
    /** Writes a checkpoint after the previous one, and the metrics file that agrees with it. */
    interface CheckpointWriter {
        /**
         * @param state the run so far
         * @param previous the checkpoint saved or resumed from last, or null
         * @return the checkpoint saved
         */
        Checkpoint save(LoopState state, Checkpoint previous);
    }

    private final ConsoleReport report;
    private final ProgressConsole display;
    private final LiveProgress progress;
    private final TrainingEngine engine;
    private final PrintStream err;
    private final RunLock lock;
    private final CheckpointWriter writer;
    private final int checkpointEvery;
    private Checkpoint lastCheckpoint;
    private long cachedTrainingBytes;
    private Map<String, Object> averagingChoice;

    RunEpochs(ConsoleReport report, ProgressConsole display, LiveProgress progress, TrainingEngine engine,
              PrintStream err, RunLock lock, Checkpoint resumedFrom, CheckpointWriter writer,
              int checkpointEvery) {
        this.report = report;
        this.display = display;
        this.progress = progress;
        this.engine = engine;
        this.err = err;
        this.lock = lock;
        this.lastCheckpoint = resumedFrom;
        this.writer = writer;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public String jobDescription(int epoch, String what) {
        return progress.jobDescription(epoch, what);
    }

    @Override
    public void epochStarted(int epoch) {
        report.epochStarted(epoch);
        display.epochStarted(epoch);
    }

    @Override
    public void trainingEnded() {
        display.epochTrained();
    }

    @Override
    public void epochTrained(int epoch, EpochResult trained) {
        engine.dataReport(epoch).ifPresent(err::println);
        engine.averagingChoice().ifPresent(choice -> {
            if (averagingChoice == null) { // said once per attempt: chosen now, or kept from the checkpoint
                err.println(choice.get("why"));
            }
            averagingChoice = choice;
        });
        cachedTrainingBytes = Math.max(cachedTrainingBytes, engine.cachedTrainingBytes());
        report.losses(trained.samples());
    }

    @Override
    public List<Double> workerStepSeconds(int epoch) {
        return progress.stepSeconds(epoch);
    }

    @Override
    public void epochFinished(LoopState state, EvaluationResult test) {
        int epoch = state.epoch();
        if (state.stop().isPresent() || epoch % checkpointEvery == 0) {
            ActiveRun.checkpoint(epoch, state.stop().isPresent(), () -> {
                lock.checkHeld();
                lastCheckpoint = writer.save(state, lastCheckpoint);
            });
        }
        report.epochFinished(state.metrics().get(epoch - 1), test);
    }

    /** @return the epoch of the latest checkpoint, 0 when there is none */
    int lastCheckpoint() {
        return lastCheckpoint == null ? 0 : lastCheckpoint.epoch();
    }

    /** @return what {@code --averaging-frequency auto} chose and why, once it has */
    Optional<Map<String, Object>> averagingChoice() {
        return Optional.ofNullable(averagingChoice);
    }

    /** @return the most training data the executors held in memory after any epoch, in bytes */
    long cachedTrainingBytes() {
        return cachedTrainingBytes;
    }
}
