package dev.fashiontrainer.rundir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output directory on any Hadoop file system. {@code model.zip} or {@code metrics.json} only ever exist
 * whole: on a file system (local, HDFS) every file is written under a temporary name and renamed into place; on an
 * object store, where a rename is a copy and a delete and not atomic, a file is written under its final name,
 * since an object appears only once its upload completes. {@code _SUCCESS} (Hadoop's convention) is written last
 * and tells schedulers the run finished. On a file system a file being replaced is first moved aside under
 * {@code ._old_NAME} and removed only once the new one is in place, so a crash in between leaves one complete
 * version that {@link #readText} finds. Only single file names inside the directory are ever written or deleted, never
 * recursively.
 */
public final class RunDirectory {
    /** Marker written after everything else. */
    public static final String SUCCESS = "_SUCCESS";
    /** What a file name in a run directory may look like: one path component, neither {@code .} nor {@code ..}. */
    private static final Pattern FILE_NAME = Pattern.compile("(?!\\.{1,2}$)[^/\\\\]+");
    private static final String TEMPORARY_PREFIX = "._tmp_";
    private static final String PREVIOUS_PREFIX = "._old_";

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
            try {
                directory.write("._write_test", new byte[0]);
            } catch (OutputWriteException e) { // before the run: the location is wrong, not the run's writing
                throw new IOException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
            }
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
     * @throws OutputWriteException when writing fails (a full disk, an I/O error); the earlier version, if any, is
     *     left as it was, and no temporary file
     */
    public void writeAtomically(String name, ContentWriter writer) {
        Path target = file(name);
        if (objectStore) {
            writeObject(target, writer);
            return;
        }
        Path temporary = new Path(root, TEMPORARY_PREFIX + name);
        Path previous = new Path(root, PREVIOUS_PREFIX + name);
        boolean movedAside = false;
        boolean written = false;
        try {
            try (OutputStream out = fs.create(temporary, true)) {
                writer.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(previous, false); // a leftover of a crash, older than target
                if (!fs.rename(target, previous)) {
                    throw new IOException("cannot move " + target + " aside");
                }
                movedAside = true;
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
            written = true;
            deleteQuietly(previous); // also the leftover of a crash between the two renames; readText ignores it
        } catch (IOException e) {
            throw writeFailure(target, e);
        } catch (FSError e) { // Hadoop's local file system reports a failed write (a full disk) as an Error
            throw writeFailure(target, e.getCause() instanceof IOException cause ? cause : new IOException(e));
        } finally {
            // whatever failed, also a writer's own exception: a half-written temporary file would only take space
            if (!written) {
                if (movedAside) {
                    renameQuietly(previous, target);
                }
                deleteQuietly(temporary);
            }
        }
    }

    private static OutputWriteException writeFailure(Path target, IOException e) {
        // ENOSPC's text on Linux, as Java passes it on
        String cause = String.valueOf(e.getMessage()).contains("No space left on device")
                ? "the disk is full (" + e.getMessage() + ")" : e.getMessage();
        return new OutputWriteException(target + ": cannot be written: " + cause, e);
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
            throw writeFailure(target, e);
        }
    }

    /** Writes {@code name} whole with the given UTF-8 text. */
    public void writeText(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String name, byte[] bytes) {
        writeAtomically(name, out -> out.write(bytes));
    }

    /** @return whether {@code name} exists in the directory (or, after a crash mid-replace, its earlier version) */
    public boolean exists(String name) {
        try {
            return fs.exists(file(name)) || fs.exists(new Path(root, PREVIOUS_PREFIX + name));
        } catch (IOException e) {
            throw new OutputException(file(name) + ": cannot be checked (" + e.getMessage() + ")", e);
        }
    }

    /**
     * @return the UTF-8 content of {@code name}; when a crash interrupted its replacement, that of the version
     *     moved aside
     */
    public String readText(String name) {
        Path file = file(name);
        try {
            if (!fs.exists(file) && fs.exists(new Path(root, PREVIOUS_PREFIX + name))) {
                file = new Path(root, PREVIOUS_PREFIX + name);
            }
            try (FSDataInputStream in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new OutputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Deletes the file {@code name} (and any version of it moved aside) when it exists; never a directory.
     *
     * @throws OutputException when {@code name} is not a plain file name or is a directory
     */
    public void delete(String name) {
        Path target = file(name);
        for (Path file : new Path[] {new Path(root, PREVIOUS_PREFIX + name), target}) {
            try {
                if (fs.exists(file) && fs.getFileStatus(file).isDirectory()) {
                    throw new OutputException(file + " is a directory, not a file of the trainer's; remove it"
                            + " yourself if it should go", null);
                }
                fs.delete(file, false);
            } catch (IOException e) {
                throw new OutputException(file + ": cannot be deleted (" + e.getMessage() + ")", e);
            }
        }
    }

    /**
     * Deletes every file directly in the directory whose whole name matches {@code names}; never recursively.
     *
     * @param names the pattern of the trainer's own file names to remove
     */
    public void deleteMatching(Pattern names) {
        FileStatus[] files;
        try {
            files = fs.listStatus(root, path -> names.matcher(path.getName()).matches());
        } catch (IOException e) {
            throw new OutputException(root + ": cannot be listed (" + e.getMessage() + ")", e);
        }
        for (FileStatus status : files) {
            if (status.isFile()) {
                delete(status.getPath().getName());
            }
        }
    }

    /**
     * @param name a file name the trainer writes (one path component)
     * @return its location in the directory
     * @throws OutputException when {@code name} could reach outside the directory
     */
    public Path file(String name) {
        if (name == null || !FILE_NAME.matcher(name).matches()) {
            throw new OutputException(root + ": '" + name + "' is not a file name of the run directory (expected"
                    + " one name: no '/' or '\\', not '.' or '..')", null);
        }
        return new Path(root, name);
    }

    /** Writes the {@link #SUCCESS} marker: call it last. */
    public void markSuccess() {
        writeText(SUCCESS, "");
    }

    private void renameQuietly(Path from, Path to) {
        try {
            fs.rename(from, to);
        } catch (IOException ignored) {
            // readText still finds the version moved aside
        }
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path, false); // on the local file system also its checksum file
        } catch (IOException | FSError ignored) {
            // a leftover ._tmp_ or ._old_ file is never mistaken for a result
        }
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface ContentWriter {
        /** @param out the stream; closed by the caller */
        void writeTo(OutputStream out) throws IOException;
    }
}
