package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.Progressable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    /** A heartbeat period short enough that the tests of the heartbeat need not wait ten seconds for one. */
    private static final Duration BEAT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Path lockHeldBy(String host, long pid) throws IOException {
        Path lock = dir.resolve(RunLock.FILE);
        Files.writeString(lock, "{\"application_id\": \"app-other\", \"host\": \"" + host + "\", \"pid\": " + pid
                + ", \"token\": \"other\"}");
        return lock;
    }

    private RunLock acquire() {
        return RunLock.acquire(RunDirectory.open(dir.toString(), new Configuration()), "app-test");
    }

    @Test
    void aLockWithARecentHeartbeatFromAnotherHostIsRefusedUntilItIsStale() throws IOException {
        Path lock = lockHeldBy("another-host.example", 1);
        OutputException refused = assertThrows(OutputException.class, this::acquire);
        assertTrue(refused.getMessage().contains("is in use by Spark application app-other (host"
                + " another-host.example, pid 1)"), refused.getMessage());

        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(RunLock.STALE_AFTER).minusSeconds(1)));
        try (RunLock taken = acquire()) {
            assertTrue(Files.readString(lock).contains("app-test"), "the stale lock was taken over");
        }
    }

    @Test
    void aLockOfAProcessOfThisHostThatHasEndedIsTakenOverAtOnce() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path lock = lockHeldBy(InetAddress.getLocalHost().getHostName(), ended.pid());
        try (RunLock taken = acquire()) {
            assertTrue(Files.readString(lock).contains("app-test"), "the dead holder's lock was taken over");
        }
    }

    @Test
    void aLockOfALiveProcessOfThisHostIsRefused() throws IOException {
        lockHeldBy(InetAddress.getLocalHost().getHostName(), ProcessHandle.current().pid());
        OutputException refused = assertThrows(OutputException.class, this::acquire);
        assertTrue(refused.getMessage().contains("is in use by"), refused.getMessage());
    }

    /**
     * Released while its heartbeat rewrites the lock file: the release waits for the beat instead of interrupting
     * it, so the file is not left half-written (a lock no one recognizes, refused to every rerun until stale).
     */
    @Test
    void releasingTheLockDuringAHeartbeatLeavesNoHalfWrittenLock() throws Exception {
        Configuration slowBeats = new Configuration();
        slowBeats.setClass("fs.file.impl", SlowHeartbeatFileSystem.class, FileSystem.class);
        slowBeats.setBoolean("fs.file.impl.disable.cache", true);
        SlowHeartbeatFileSystem.reset();
        RunLock lock = RunLock.acquire(RunDirectory.open(dir.toString(), slowBeats), "app-test", BEAT);
        assertTrue(SlowHeartbeatFileSystem.awaitBeatMidWrite(BEAT.multipliedBy(3)),
                "no heartbeat began");

        lock.close();
        Path file = dir.resolve(RunLock.FILE);
        assertFalse(Files.exists(file), "the released lock is still there: " + (Files.exists(file)
                ? Files.readString(file) : ""));
        try (RunLock next = acquire()) {
            assertTrue(Files.readString(file).contains("app-test"), "the next run takes the lock at once");
        }
    }

    /** The local file system, except that the lock's heartbeat cannot write. */
    public static final class RefusingHeartbeatFileSystem extends RawLocalFileSystem {
        @Override
        public FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite, int bufferSize,
                                         short replication, long blockSize, Progressable progress) throws IOException {
            if (Thread.currentThread().getName().equals("run-lock-heartbeat")) {
                throw new IOException("injected: the store refuses the write");
            }
            return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
        }
    }

    /** A heartbeat that cannot write is logged as a warning naming the lock and the cause, not swallowed. */
    @Test
    void aFailedHeartbeatIsLoggedAsAWarning() throws Exception {
        Configuration refusing = new Configuration();
        refusing.setClass("fs.file.impl", RefusingHeartbeatFileSystem.class, FileSystem.class);
        refusing.setBoolean("fs.file.impl.disable.cache", true);
        BlockingQueue<LogEvent> warnings = new LinkedBlockingQueue<>();
        Appender collector = new AbstractAppender("heartbeat-warnings", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                warnings.add(event.toImmutable());
            }
        };
        collector.start();
        var logger = (org.apache.logging.log4j.core.Logger) LogManager.getLogger(RunLock.class);
        logger.addAppender(collector);
        try (RunLock lock = RunLock.acquire(RunDirectory.open(dir.toString(), refusing), "app-test", BEAT)) {
            LogEvent warning = warnings.poll(BEAT.multipliedBy(3).toSeconds(), TimeUnit.SECONDS);
            assertTrue(warning != null, "no warning logged for a failed heartbeat");
            assertEquals(Level.WARN, warning.getLevel());
            assertTrue(warning.getMessage().getFormattedMessage().contains(RunLock.FILE + ": the run directory's lock"
                    + " heartbeat failed (java.io.IOException: injected: the store refuses the write); retrying in"
                    + " 1 s"), warning.getMessage().getFormattedMessage());
        } finally {
            logger.removeAppender(collector);
        }
    }
}
