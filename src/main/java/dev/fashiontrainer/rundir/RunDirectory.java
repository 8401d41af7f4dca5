package dev.fashiontrainer.rundir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output directory on any Hadoop file system. {@code model.zip} or {@code metrics.json} only ever exist
 * whole: on a file system (local, HDFS) every file is written under a temporary name and renamed into place; on an
 * object store, where a rename is a copy and a delete and not atomic, a file is written under its final name,
 * since an object appears only once its upload completes. {@code _SUCCESS} (Hadoop's convention) is written last
 * and tells schedulers the run finished.
 */
public final class RunDirectory {
    /** Marker written after everything else. */
    public static final String SUCCESS = "_SUCCESS";

    private final Path root;
    private final FileSystem fs;
    private final boolean objectStore;

    private RunDirectory(Path root, FileSystem fs) throws IOException {
        this.root = root;
        this.fs = fs;
        // Object stores' connectors (s3a among them) upload a file when it is closed and can abort the upload
        // instead; their rename is a copy and a delete.
        this.objectStore = fs.hasPathCapability(root, CommonPathCapabilities.ABORTABLE_STREAM);
    }

    /**
     * Opens (creating when needed) a run directory and checks that it can be written.
     *
     * @param location any Hadoop path
     * @param hadoop Hadoop configuration for the file system
     * @return the directory
     * @throws OutputException when it cannot be created or written
     */
    public static RunDirectory open(String location, Configuration hadoop) {
        Path root = new Path(location);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(root);
            if (fs.exists(qualified) && !fs.getFileStatus(qualified).isDirectory()) {
                throw new IOException("it exists and is not a directory");
            }
            fs.mkdirs(qualified);
            RunDirectory directory = new RunDirectory(qualified, fs);
            directory.write("._write_test", new byte[0]);
            fs.delete(new Path(qualified, "._write_test"), false);
            return directory;
        } catch (IOException | IllegalArgumentException e) {
            throw new OutputException(location + ": cannot write the run directory there (" + e.getMessage()
                    + "); pass --output with a writable location", e);
        }
    }

    /** @return the directory's fully qualified location */
    public Path path() {
        return root;
    }

    /** @return the file system it lives on */
    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Writes {@code name} whole, replacing any earlier version.
     *
     * @param name file name within the directory
     * @param writer writes the content
     * @throws OutputException when writing fails; the earlier version, if any, is left as it was
     */
    public void writeAtomically(String name, ContentWriter writer) {
        Path target = new Path(root, name);
        if (objectStore) {
            writeObject(target, writer);
            return;
        }
        Path temporary = new Path(root, "._tmp_" + name);
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                writer.writeTo(out);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new OutputException(target + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /** One upload under the final name: an earlier object stays visible until this one is complete. */
    private void writeObject(Path target, ContentWriter writer) {
        try (FSDataOutputStream out = fs.create(target, true)) {
            try {
                writer.writeTo(out);
            } catch (IOException | RuntimeException e) {
                out.abort(); // closing would publish what was written so far
                throw e;
            }
        } catch (IOException e) {
            throw new OutputException(target + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /** Writes {@code name} whole with the given UTF-8 text. */
    public void writeText(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String name, byte[] bytes) {
        writeAtomically(name, out -> out.write(bytes));
    }

    /** @return whether {@code name} exists in the directory */
    public boolean exists(String name) {
        try {
            return fs.exists(new Path(root, name));
        } catch (IOException e) {
            throw new OutputException(new Path(root, name) + ": cannot be checked (" + e.getMessage() + ")", e);
        }
    }

    /** @return the UTF-8 content of {@code name} */
    public String readText(String name) {
        Path file = new Path(root, name);
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OutputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Deletes {@code name} when it exists. */
    public void delete(String name) {
        Path file = new Path(root, name);
        try {
            fs.delete(file, true);
        } catch (IOException e) {
            throw new OutputException(file + ": cannot be deleted (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the {@link #SUCCESS} marker: call it last. */
    public void markSuccess() {
        writeText(SUCCESS, "");
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException ignored) {
            // a leftover ._tmp_ file is never mistaken for a result
        }
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface ContentWriter {
        /** @param out the stream; closed by the caller */
        void writeTo(OutputStream out) throws IOException;
    }
}
