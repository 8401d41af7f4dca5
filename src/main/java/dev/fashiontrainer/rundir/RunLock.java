package dev.fashiontrainer.rundir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.report.Json;

/**
 * One writer per run directory: {@code _LOCK} is created exclusively (Hadoop's {@code create} with
 * {@code overwrite=false}) and holds the Spark application id, host, process id and a heartbeat that a daemon
 * thread rewrites every {@link #HEARTBEAT_EVERY}. A lock whose file was not rewritten for {@link #STALE_AFTER}
 * belongs to a process that died (kill -9, a lost YARN container) and is taken over, and so is one whose holder
 * ran on this host and whose process has ended. The holder checks that the
 * lock is still its own before every checkpoint and before {@code _SUCCESS}, so a process that stalled past the
 * stale time and lost its lock stops instead of writing over its successor.
 *
 * <p>Creation is exclusive on HDFS. On the local file system and on S3A, Hadoop checks and creates in two steps,
 * so two processes starting within the same few milliseconds could both get it; the checks before each
 * checkpoint and before {@code _SUCCESS} then stop the one whose lock file was overwritten.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in the run directory. */
    public static final String FILE = "_LOCK";
    /** How often the holder rewrites the lock file. */
    public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(10);
    /** A lock file not rewritten for this long is stale: its holder is taken to be dead. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    private final FileSystem fs;
    private final Path file;
    private final Map<String, Object> content;
    private final ScheduledExecutorService heartbeat;
    private final Duration heartbeatEvery;
    /** Set by {@link #close} under this object's monitor: a beat after it would recreate a released lock. */
    private boolean released;

    private RunLock(FileSystem fs, Path file, Map<String, Object> content, Duration heartbeatEvery) {
        this.fs = fs;
        this.file = file;
        this.content = content;
        this.heartbeatEvery = heartbeatEvery;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "run-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes the run directory's lock, taking over a stale one.
     *
     * @param outputs the run directory
     * @param applicationId the Spark application id of this process, recorded for whoever finds the lock taken
     * @return the held lock; close it to release it
     * @throws OutputException (exit 2) naming the holder when another live process holds the lock
     */
    public static RunLock acquire(RunDirectory outputs, String applicationId) {
        return acquire(outputs, applicationId, HEARTBEAT_EVERY);
    }

    /** The same with another heartbeat period (the tests' one second, which spares them ten-second waits). */
    static RunLock acquire(RunDirectory outputs, String applicationId, Duration heartbeatEvery) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("application_id", applicationId);
        content.put("host", hostName());
        content.put("pid", ProcessHandle.current().pid());
        content.put("token", UUID.randomUUID().toString());
        content.put("acquired", Instant.now().toString());
        RunLock lock = new RunLock(outputs.fileSystem(), outputs.file(FILE), content, heartbeatEvery);
        lock.create();
        lock.heartbeat.scheduleWithFixedDelay(lock::beat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        return lock;
    }

    private void create() {
        try {
            if (fs.exists(file)) {
                FileStatus status = fs.getFileStatus(file);
                Duration silent = Duration.ofMillis(System.currentTimeMillis() - status.getModificationTime());
                JsonNode holder = readHolder();
                if (silent.compareTo(STALE_AFTER) < 0 && !deadOnThisHost(holder)) {
                    throw heldBy(holder, silent);
                }
                fs.delete(file, false); // its holder stopped beating long ago, or is known to be gone
            }
            write(false);
        } catch (FileAlreadyExistsException e) { // another process created it between our check and create
            throw heldBy(readHolder(), Duration.ZERO);
        } catch (IOException e) {
            throw new OutputException(file + ": cannot take the run directory's lock (" + e.getMessage() + ")", e);
        }
    }

    private void write(boolean overwrite) throws IOException {
        content.put("heartbeat", Instant.now().toString());
        try (OutputStream out = fs.create(file, overwrite)) {
            out.write(Json.write(content).getBytes(StandardCharsets.UTF_8));
        }
    }

    // synchronized with checkHeld and close: neither may read or delete the file while a beat rewrites it
    private synchronized void beat() {
        if (released) {
            return;
        }
        try {
            if (isOurs()) {
                write(true);
            }
        } catch (IOException | RuntimeException | FSError e) { // FSError: how the local file system reports a full disk
            // a missed beat is retried on the next one; the holder's checks decide whether the lock is lost, but
            // beats that keep failing let the lock go stale, and the log should say why (one line a beat: the
            // cause, not its stack trace, which says nothing more about a file system that refuses a write)
            LOG.warn("{}: the run directory's lock heartbeat failed ({}); retrying in {} s", file, e,
                    heartbeatEvery.toSeconds());
        }
    }

    /**
     * Checks that this process still holds the lock; call before writing anything that others trust.
     *
     * @throws OutputException (exit 2) when the lock file is gone or another process took it over
     */
    public synchronized void checkHeld() {
        if (!isOurs()) {
            throw new OutputException(file.getParent() + ": this run lost its lock to " + describe(readHolder())
                    + " (no heartbeat for " + STALE_AFTER.toMinutes() + " minutes, or the lock file was"
                    + " removed); stopping without writing more", null);
        }
    }

    private boolean isOurs() {
        JsonNode holder = readHolder();
        return holder != null && content.get("token").equals(holder.path("token").asText());
    }

    /** @return the lock file's content, or null when there is none or it is being rewritten */
    private JsonNode readHolder() {
        try (var in = fs.open(file)) {
            return Json.mapper().readTree(in.readAllBytes());
        } catch (IOException e) { // missing, or caught mid-rewrite by its holder's heartbeat
            return null;
        }
    }

    private OutputException heldBy(JsonNode holder, Duration silent) {
        return new OutputException(file.getParent() + " is in use by " + describe(holder) + ", last heartbeat "
                + silent.toSeconds() + " s ago; wait for it to finish, use another --run-id, or, if that process is"
                + " dead, delete " + file + " (a lock is stale after " + STALE_AFTER.toMinutes()
                + " minutes without a heartbeat)", null);
    }

    private static String describe(JsonNode holder) {
        if (holder == null) {
            return "another process";
        }
        return "Spark application " + holder.path("application_id").asText("?") + " (host "
                + holder.path("host").asText("?") + ", pid " + holder.path("pid").asText("?") + ")";
    }

    /**
     * A holder on this host whose process has ended (killed, crashed) cannot beat again: a retry on the same
     * machine (a rerun, a scheduler's retry in client mode) need not wait for the lock to go stale. A holder on
     * another host is judged by its heartbeat alone.
     */
    private static boolean deadOnThisHost(JsonNode holder) {
        if (holder == null || !hostName().equals(holder.path("host").asText())
                || !holder.path("pid").canConvertToLong()) {
            return false;
        }
        return ProcessHandle.of(holder.path("pid").asLong()).map(process -> !process.isAlive()).orElse(true);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Stops the heartbeat and removes the lock file when it is still this process's. A beat under way is let
     * finish, not interrupted: an interrupted rewrite (HDFS's streams give up on an interrupt) would leave a
     * half-written lock that no one recognizes as this process's, and so blocks every rerun until it goes stale.
     */
    @Override
    public void close() {
        heartbeat.shutdown(); // cancels the beats to come, lets a running one end
        try {
            heartbeat.awaitTermination(heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // still release below: the monitor waits for a beat anyway
        }
        synchronized (this) {
            released = true;
            try {
                if (isOurs()) {
                    fs.delete(file, false);
                }
            } catch (IOException e) {
                throw new OutputException(file + ": cannot release the run directory's lock (" + e.getMessage()
                        + "); delete it by hand", e);
            }
        }
    }
}
