package dev.fashiontrainer.progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import dev.fashiontrainer.spark.ScalaCollections;
import dev.fashiontrainer.train.MinibatchReporter;
import dev.fashiontrainer.train.TrainingProgress;

import scala.Option;
import scala.Tuple4;
import scala.collection.Seq;

/**
 * The driver's side of live progress: the tasks add their minibatches to a {@link ProgressAccumulator}; Spark's
 * executors send the values of running tasks' accumulators with their heartbeats, and the driver's scheduler posts
 * them as {@link SparkListenerExecutorMetricsUpdate} events, which this listener turns into an
 * {@link EpochProgress} for an observer (the console). No connection of our own: the channel is the one Spark's UI
 * uses for the metrics of running tasks, so it works wherever Spark does (local mode included: its executor
 * heartbeats too). How fresh the news is depends on {@code spark.executor.heartbeatInterval}
 * ({@link dev.fashiontrainer.spark.SparkApplication} sets it).
 *
 * <p>It also names each round's job after the run, and keeps the per-worker step seconds of every epoch (from the
 * tasks' final values, which Spark has added up by the time a job returns).
 */
public final class LiveProgress extends SparkListener implements TrainingProgress, AutoCloseable {
    /** The accumulator's name in Spark's UI. */
    public static final String ACCUMULATOR_NAME = "training progress";

    private final SparkContext spark;
    private final String runName;
    private final int epochs;
    private final Consumer<EpochProgress> observer;
    private final ProgressAccumulator accumulator = new ProgressAccumulator();
    // The latest epoch heard of, and each of its tasks' latest value by stage (one per round) and worker.
    private int epoch;
    private final Map<Slot, Reported> reported = new HashMap<>();

    /**
     * Registers the accumulator and starts listening; {@link #close()} stops listening.
     *
     * @param spark the application's context
     * @param runName the run's name in job descriptions
     * @param epochs epochs in the run
     * @param observer told of every change, on Spark's listener thread: it must return quickly
     */
    public LiveProgress(SparkContext spark, String runName, int epochs, Consumer<EpochProgress> observer) {
        this.spark = spark;
        this.runName = runName;
        this.epochs = epochs;
        this.observer = observer;
        spark.register(accumulator, ACCUMULATOR_NAME);
        spark.addSparkListener(this);
    }

    @Override
    public String jobDescription(int epoch, int round, int rounds) {
        return jobDescription(epoch, "averaging round " + (round + 1) + " of " + rounds);
    }

    /**
     * @param epoch 1-based epoch number
     * @param what the job's purpose, e.g. {@code evaluation on the test set}
     * @return the description of a job of that epoch in Spark's UI
     */
    public String jobDescription(int epoch, String what) {
        return "run " + runName + ": epoch " + epoch + " of " + epochs + ", " + what;
    }

    @Override
    public MinibatchReporter reporter() {
        return accumulator;
    }

    /**
     * @param epoch a trained epoch
     * @return each worker's seconds of local steps in that epoch (rounds added up), by worker; empty when the
     *     engine reports no minibatches (DL4J's)
     */
    public List<Double> stepSeconds(int epoch) {
        Map<Integer, Double> byWorker = new TreeMap<>();
        for (WorkerProgress p : accumulator.value()) {
            if (p.epoch() == epoch) {
                byWorker.put(p.worker(), p.stepSeconds());
            }
        }
        return List.copyOf(byWorker.values());
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, ? extends Seq<AccumulableInfo>> task
                : ScalaCollections.asList(update.accumUpdates())) {
            report((Long) task._1(), (Integer) task._2(), task._4(), true);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
            report(end.taskInfo().taskId(), end.stageId(), end.taskInfo().accumulables(), false);
        }
    }

    private void report(long taskId, int stage, Seq<AccumulableInfo> accumulables, boolean running) {
        for (AccumulableInfo info : ScalaCollections.asList(accumulables)) {
            Option<Object> value = info.update();
            if (info.id() == accumulator.id() && value.isDefined()) {
                @SuppressWarnings("unchecked")
                List<WorkerProgress> progress = (List<WorkerProgress>) value.get();
                progress.forEach(p -> record(taskId, stage, p, running));
            }
        }
    }

    private void record(long taskId, int stage, WorkerProgress progress, boolean running) {
        EpochProgress news;
        synchronized (this) {
            if (progress.epoch() < epoch) {
                return; // a late heartbeat from a task of an epoch that has ended
            }
            if (progress.epoch() > epoch) {
                epoch = progress.epoch();
                reported.clear();
            }
            Slot slot = new Slot(stage, progress.worker());
            Reported before = reported.get(slot);
            // A retried task (a higher id) starts over and replaces its failed attempt; a heartbeat that arrives
            // after its task's end must not take back minibatches.
            if (before != null && (before.taskId > taskId
                    || before.taskId == taskId && before.progress.minibatches() > progress.minibatches())) {
                return;
            }
            reported.put(slot, new Reported(taskId, progress));
            news = new EpochProgress(epoch, byWorker(), running, System.currentTimeMillis());
        }
        observer.accept(news);
    }

    private List<WorkerProgress> byWorker() {
        Map<Integer, WorkerProgress> sums = new TreeMap<>();
        for (Reported r : reported.values()) {
            sums.merge(r.progress.worker(), r.progress, WorkerProgress::plus);
        }
        return new ArrayList<>(sums.values());
    }

    /** Stops listening; the accumulator's values stay readable. */
    @Override
    public void close() {
        spark.removeSparkListener(this);
    }

    private record Slot(int stage, int worker) {
    }

    private record Reported(long taskId, WorkerProgress progress) {
    }
}
