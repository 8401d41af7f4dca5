package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a file never leaves the directory without a complete version; deleting never leaves it. */
class RunDirectoryTest {
    @TempDir
    Path directory;

    /** The local file system, except that moving a freshly written file into place fails, as a crash would. */
    public static final class FailingPublishFileSystem extends LocalFileSystem {
        @Override
        public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
            if (src.getName().equals("._tmp_" + Checkpoint.POINTER)) {
                throw new IOException("injected failure renaming " + src.getName());
            }
            return super.rename(src, dst);
        }
    }

    @Test
    void aReplaceThatFailsHalfwayKeepsTheEarlierVersion() throws IOException {
        RunDirectory healthy = RunDirectory.open(directory.toString(), new Configuration());
        healthy.writeText(Checkpoint.POINTER, "epoch 1");

        Configuration failing = new Configuration();
        failing.setClass("fs.file.impl", FailingPublishFileSystem.class, org.apache.hadoop.fs.FileSystem.class);
        failing.setBoolean("fs.file.impl.disable.cache", true);
        RunDirectory outputs = RunDirectory.open(directory.toString(), failing);
        OutputWriteException e = assertThrows(OutputWriteException.class,
                () -> outputs.writeText(Checkpoint.POINTER, "epoch 2"));
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());

        assertEquals("epoch 1", Files.readString(directory.resolve(Checkpoint.POINTER)), "the earlier version");
        assertEquals("epoch 1", healthy.readText(Checkpoint.POINTER));
        assertFalse(Files.exists(directory.resolve("._tmp_" + Checkpoint.POINTER)), "the temporary file removed");
    }

    /**
     * A full disk as Hadoop's local file system reports it: an {@link FSError}, which is no exception. The write
     * fails with one line naming the file and the full disk, and takes its temporary file (and checksum) along.
     */
    @Test
    void aFullDiskEndsTheWriteWithItsFileNamedAndNoTemporaryFile() throws IOException {
        Configuration full = new Configuration();
        full.setClass("fs.file.impl", FullDiskFileSystem.class, org.apache.hadoop.fs.FileSystem.class);
        full.setBoolean("fs.file.impl.disable.cache", true);
        RunDirectory outputs = RunDirectory.open(directory.toString(), full);

        OutputWriteException e = assertThrows(OutputWriteException.class,
                () -> outputs.writeAtomically("checkpoint-epoch-2.zip", out -> out.write(new byte[1 << 20])));
        assertTrue(e.getMessage().endsWith("checkpoint-epoch-2.zip: cannot be written: the disk is full (No space"
                + " left on device)"), e.getMessage());
        try (var files = Files.list(directory)) {
            assertEquals(List.of(), files.map(file -> file.getFileName().toString()).toList(), "files left behind");
        }
    }

    /** The local file system, except that the disk fills up after 64 KiB of a file. */
    public static final class FullDiskFileSystem extends LocalFileSystem {
        @Override
        public FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite) throws IOException {
            FSDataOutputStream out = super.create(f, overwrite);
            return new FSDataOutputStream(new FilterOutputStream(out) {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    if (++written > 1 << 16) {
                        throw diskFull();
                    }
                    out.write(b);
                }
            }, statistics);
        }

        /** Hadoop's constructor is package-private: only its local file system throws the error. */
        private static FSError diskFull() {
            try {
                Constructor<FSError> error = FSError.class.getDeclaredConstructor(Throwable.class);
                error.setAccessible(true);
                return error.newInstance(new IOException("No space left on device"));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aCrashBetweenMovingAsideAndPublishingLeavesTheEarlierVersionReadable() throws IOException {
        RunDirectory outputs = RunDirectory.open(directory.toString(), new Configuration());
        // what a process killed between the two renames of a replace leaves behind
        Files.writeString(directory.resolve("._old_" + Checkpoint.POINTER), "epoch 1");
        Files.writeString(directory.resolve("._tmp_" + Checkpoint.POINTER), "epoch 2, maybe incomplete");

        assertTrue(outputs.exists(Checkpoint.POINTER));
        assertEquals("epoch 1", outputs.readText(Checkpoint.POINTER));
        outputs.writeText(Checkpoint.POINTER, "epoch 2");
        assertEquals("epoch 2", outputs.readText(Checkpoint.POINTER));
        assertFalse(Files.exists(directory.resolve("._old_" + Checkpoint.POINTER)), "the aside copy removed");
    }

    @Test
    void onlyPlainFileNamesInsideTheDirectoryAreDeleted() throws IOException {
        RunDirectory outputs = RunDirectory.open(directory.resolve("run").toString(), new Configuration());
        Path outside = Files.writeString(directory.resolve("outside.txt"), "keep");
        Path nested = Files.createDirectories(directory.resolve("run").resolve("model.zip"));
        Files.writeString(nested.resolve("inside.txt"), "keep too");

        for (String name : new String[] {"../outside.txt", "..", outside.toString(), ""}) {
            OutputException e = assertThrows(OutputException.class, () -> outputs.delete(name), name);
            assertTrue(e.getMessage().contains("is not a file name of the run directory"), e.getMessage());
        }
        OutputException e = assertThrows(OutputException.class, () -> outputs.delete("model.zip"));
        assertTrue(e.getMessage().contains("model.zip is a directory, not a file of the trainer's"), e.getMessage());
        assertTrue(Files.exists(outside));
        assertTrue(Files.exists(nested.resolve("inside.txt")));
    }
}
