package dev.fashiontrainer.data;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@value #SCHEME}, counting the streams it opened that are not closed yet.
 * Local-mode executors run in the test's JVM, so the count covers what their tasks opened.
 */
public final class CountingFileSystem extends RawLocalFileSystem {
    /** The scheme of its paths. */
    public static final String SCHEME = "counting";
    private static final AtomicInteger OPEN = new AtomicInteger();

    /** Registers the scheme in {@code configuration} (Hadoop's {@code fs.<scheme>.impl}). */
    public static void register(Configuration configuration) {
        configuration.set("fs." + SCHEME + ".impl", CountingFileSystem.class.getName());
        configuration.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    }

    /** @return {@code path} (a local file) under this file system's scheme */
    public static Path of(java.nio.file.Path path) {
        return new Path(SCHEME, null, path.toAbsolutePath().toString());
    }

    /** @return streams opened and not closed yet */
    public static int openStreams() {
        return OPEN.get();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        FSDataInputStream in = super.open(path, bufferSize);
        OPEN.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return new FSDataInputStream(in) {
            @Override
            public void close() throws IOException {
                super.close();
                if (closed.compareAndSet(false, true)) {
                    OPEN.decrementAndGet();
                }
            }
        };
    }
}
