package dev.fashiontrainer.rundir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, except that the lock's heartbeat thread writes slowly and, like HDFS's output stream,
 * gives up on an interrupt with half its bytes written: a test can release the lock while a beat is under way.
 * Install it as {@code fs.file.impl} (with the file system cache disabled).
 */
public final class SlowHeartbeatFileSystem extends RawLocalFileSystem {
    /** How long a heartbeat's write pauses halfway. */
    static final Duration PAUSE = Duration.ofSeconds(2);
    private static volatile CountDownLatch midWrite = new CountDownLatch(1);

    /** Forgets beats seen before: call before acquiring the lock. */
    static void reset() {
        midWrite = new CountDownLatch(1);
    }

    /** @return whether a heartbeat reached the middle of its write within {@code timeout} */
    static boolean awaitBeatMidWrite(Duration timeout) throws InterruptedException {
        return midWrite.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        FSDataOutputStream out = super.create(f, overwrite, bufferSize, replication, blockSize, progress);
        return Thread.currentThread().getName().equals("run-lock-heartbeat")
                ? new FSDataOutputStream(new PausingHalfway(out), statistics) : out;
    }

    private static final class PausingHalfway extends FilterOutputStream {
        PausingHalfway(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int half = length / 2;
            out.write(bytes, offset, half);
            out.flush();
            midWrite.countDown();
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted halfway through the write");
            }
            out.write(bytes, offset + half, length - half);
        }
    }
}
