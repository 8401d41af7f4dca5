package dev.fashiontrainer;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@value #SCHEME}, watched: it counts the streams it opened that are not
 * closed yet, and records the files renamed into place (how the run directory publishes a file) in their order.
 * Local-mode executors run in the test's JVM, so this covers what their tasks do too.
 */
public final class ObservedFileSystem extends RawLocalFileSystem {
    /** The scheme of its paths. */
    public static final String SCHEME = "observed";
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final List<java.nio.file.Path> RENAMED = new ArrayList<>();

    /** Registers the scheme in {@code configuration} (Hadoop's {@code fs.<scheme>.impl}). */
    public static void register(Configuration configuration) {
        configuration.set("fs." + SCHEME + ".impl", ObservedFileSystem.class.getName());
    }

    /** @return {@code path} (a local file) under this file system's scheme */
    public static Path of(java.nio.file.Path path) {
        return new Path(SCHEME, null, path.toAbsolutePath().toString());
    }

    /** @return streams opened and not closed yet */
    public static int openStreams() {
        return OPEN.get();
    }

    /** @return the files renamed into {@code directory} so far, in the order of their renames */
    public static synchronized List<String> renamedInto(java.nio.file.Path directory) {
        java.nio.file.Path absolute = directory.toAbsolutePath();
        return RENAMED.stream().filter(p -> absolute.equals(p.getParent())).map(p -> p.getFileName().toString())
                .toList();
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

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        boolean renamed = super.rename(source, target);
        if (renamed) {
            synchronized (ObservedFileSystem.class) {
                RENAMED.add(java.nio.file.Path.of(target.toUri().getPath()));
            }
        }
        return renamed;
    }
}
