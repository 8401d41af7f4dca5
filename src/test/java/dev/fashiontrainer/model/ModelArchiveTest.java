package dev.fashiontrainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;

/** The lengths in a model file's array headers, which ND4J allocates, are checked against the file first. */
class ModelArchiveTest {
    @TempDir
    Path dir;

    private static MultiLayerNetwork network() {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs();
        return NetworkFactory.create(((TrainCommand) commandLine.getCommand()).trainingConfig());
    }

    private MultiLayerNetwork restore(Path file) throws IOException {
        return ModelArchive.restore(new org.apache.hadoop.fs.Path(file.toUri()), FileSystem.getLocal(
                new Configuration()), false);
    }

    /**
     * A model whose parameter values' header promises 100,000,000 floats (400 MB) in an entry of 2.7 MB: refused
     * from the entry's length, before ND4J allocates them.
     */
    @Test
    void anArrayHeaderPromisingMoreValuesThanItsEntryHoldsIsRefused() throws IOException {
        Path saved = dir.resolve("model.zip");
        ModelSerializer.writeModel(network(), saved.toFile(), false);
        assertEquals(669_706, restore(saved).numParams(), "the model as saved is read");

        Path crafted = dir.resolve("crafted.zip");
        try (ZipFile original = new ZipFile(saved.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(crafted))) {
            for (ZipEntry entry : java.util.Collections.list(original.entries())) {
                byte[] content = original.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("coefficients.bin")) {
                    // the shape buffer: "MIXED_DATA_TYPES", 8, "LONG", 8 longs; then the values' header
                    int valuesLength = 2 + 16 + 8 + 2 + 4 + 8 * 8 + 2 + 16;
                    ByteBuffer.wrap(content).putLong(valuesLength, 100_000_000L);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        ModelException e = assertThrows(ModelException.class, () -> restore(crafted));
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(e.getMessage().contains("crafted.zip: entry 'coefficients.bin' promises 100,000,000 FLOAT values"
                + " for its values, more than the 2,678,824 bytes left in it hold"), e.getMessage());
        assertTrue(allocated < 64 << 20, "allocated " + allocated + " bytes to refuse it");
    }
}
