package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.data.IdxFile;
import dev.fashiontrainer.model.DeserializationCanary;

/**
 * Files someone else made, given to {@code predict}: a model file must not run code or compute nonsense, an image
 * or IDX header must not make the trainer allocate what it promises, and a file name must not become a formula in
 * the CSV.
 */
class UntrustedInputTest {
    private static final String TEST_IMAGES = TestData.directory() + "/t10k-images-idx3-ubyte.gz";

    @TempDir
    Path scratch;

    private static Path model() {
        return TestRuns.small().resolve(TrainingRun.MODEL_FILE);
    }

    private static CommandRun predict(Path model, Path images) {
        return CommandRun.of(List.of("predict", "--model", model.toString(), "--images", images.toString()));
    }

    /** The run's model.zip with one more entry. */
    private Path modelWithExtraEntry(String name, byte[] content) throws IOException {
        Path file = scratch.resolve("with-" + name + ".zip");
        try (ZipFile original = new ZipFile(model().toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry : original.stream().toList()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                original.getInputStream(entry).transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return file;
    }

    @Test
    void aModelFileWithAPreprocessorEntryIsRefusedBeforeAnythingIsDeserialized() throws IOException {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new DeserializationCanary());
        }
        Path hostile = modelWithExtraEntry("preprocessor.bin", serialized.toByteArray());

        CommandRun result = predict(hostile, Path.of(TEST_IMAGES));
        assertFalse(DeserializationCanary.wasDeserialized(), "the model file's serialized object was deserialized");
        assertRefused(result, "unexpected entry 'preprocessor.bin' in the model file");
        assertEquals("", result.stdout(), "no predictions");
    }

    @Test
    void anOversizedEntryIsRefused() throws IOException {
        Path padded = scratch.resolve("padded.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(padded))) {
            out.putNextEntry(new ZipEntry("configuration.json"));
            out.write(new byte[(1 << 20) + 1]); // compresses to a kilobyte
            out.closeEntry();
        }
        CommandRun result = predict(padded, Path.of(TEST_IMAGES));
        assertRefused(result, "entry 'configuration.json' is larger than the 1048576 bytes");
    }

    @Test
    void aModelWithNonFiniteWeightsIsRefusedInsteadOfPredictingNaN() throws IOException {
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(model().toFile(), false);
        network.params().putScalar(7, Float.NaN);
        network.params().putScalar(70_000, Float.POSITIVE_INFINITY);
        Path diverged = scratch.resolve("diverged.zip");
        ModelSerializer.writeModel(network, diverged.toFile(), false);

        CommandRun result = predict(diverged, Path.of(TEST_IMAGES));
        assertRefused(result, "2 of the model's 669706 parameters are NaN or infinite");
        assertEquals("", result.stdout(), "no predictions");
    }

    /**
     * The header alone promises 4,000,000 images (3.1 GB); the trainer must refuse it from the header. The body
     * that would follow is left out: the refusal must not depend on reading it (before the fix the whole stream
     * was read, and the real 3 GB of zeros ended in OutOfMemoryError and exit 1).
     */
    @Test
    void anIdxHeaderPromisingMoreThanTheJvmHoldsIsRefusedBeforeDecompressing() throws IOException {
        Path bomb = scratch.resolve("bomb-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(bomb)))) {
            out.writeInt(IdxFile.IMAGES_MAGIC);
            out.writeInt(4_000_000);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[1 << 20]);
        }
        CommandRun result = predict(model(), bomb);
        assertRefused(result, "header promises 4000000 images of 28x28 (3,136,000,000 bytes),"
                + " more than this JVM can hold");
    }

    /**
     * A 40000x40000 grayscale PNG is refused from its header, before 1.6 GB of pixels are allocated. Only the first
     * rows of image data are in the file: a full one (1.6 MB compressed) takes seconds to deflate, and the check
     * must not depend on it.
     */
    @Test
    void aHugePngIsRefusedFromItsHeader() throws IOException {
        Path pngs = Files.createDirectories(scratch.resolve("huge"));
        writeGrayPng(pngs.resolve("huge.png"), 40_000, 40_000, 100);

        CommandRun result = predict(model(), pngs);
        assertRefused(result, "huge.png: expected a 28x28 image, found 40000x40000");
    }

    /** Writes a grayscale PNG header of the given size and the first {@code rows} rows of black pixels. */
    private static void writeGrayPng(Path file, int width, int height, int rows) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream ihdr = new DataOutputStream(header);
            ihdr.writeInt(width);
            ihdr.writeInt(height);
            ihdr.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit gray, deflate, no filter, no interlace
            writeChunk(out, "IHDR", header.toByteArray());
            ByteArrayOutputStream pixels = new ByteArrayOutputStream();
            try (OutputStream deflated = new DeflaterOutputStream(pixels)) {
                byte[] row = new byte[1 + width]; // filter byte 0, then black pixels
                for (int r = 0; r < rows; r++) {
                    deflated.write(row);
                }
            }
            writeChunk(out, "IDAT", pixels.toByteArray());
            writeChunk(out, "IEND", new byte[0]);
        }
    }

    private static void writeChunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void fileNamesThatSpreadsheetsWouldRunAsFormulasAreEscapedInTheCsv() throws IOException {
        Path pngs = Files.createDirectories(scratch.resolve("formulas"));
        List<String> names = List.of("+1.png", "-1.png", "=HYPERLINK(1).png", "@SUM(1).png", "plain.png");
        for (String name : names) {
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png",
                    pngs.resolve(name).toFile());
        }
        CommandRun result = predict(model(), pngs);
        assertEquals(0, result.code(), result.stderr());
        List<String> sources = result.stdout().lines().skip(1).map(row -> row.split(",")[0]).toList();
        assertEquals(List.of("'+1.png", "'-1.png", "'=HYPERLINK(1).png", "'@SUM(1).png", "plain.png"), sources);
    }

    /** Exit code 3 (bad data) and the one-line error containing {@code message}. */
    private static void assertRefused(CommandRun result, String message) {
        assertEquals(ExitCodes.DATA, result.code(), result.stderr());
        assertTrue(result.errorLine().contains(message), result.errorLine());
    }
}
