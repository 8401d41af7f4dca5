package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
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
        OutputException e = assertThrows(OutputException.class,
                () -> outputs.writeText(Checkpoint.POINTER, "epoch 2"));
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());

        assertEquals("epoch 1", Files.readString(directory.resolve(Checkpoint.POINTER)), "the earlier version");
        assertEquals("epoch 1", healthy.readText(Checkpoint.POINTER));
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
