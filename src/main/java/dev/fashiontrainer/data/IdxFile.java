package dev.fashiontrainer.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One IDX file (the format of MNIST and Fashion-MNIST), read whole through Hadoop's FileSystem API so that
 * {@code file:}, {@code hdfs:} and {@code s3a:} locations all work. Gzip is recognised by its magic bytes, not
 * by the file name. The SHA-256 of the decompressed bytes is computed while reading.
 */
public final class IdxFile {
    /** IDX magic number of an unsigned-byte file with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** IDX magic number of an unsigned-byte file with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private final String location;
    private final int[] dimensions;
    private final byte[] payload;
    private final String sha256;

    private IdxFile(String location, int[] dimensions, byte[] payload, String sha256) {
        this.location = location;
        this.dimensions = dimensions;
        this.payload = payload;
        this.sha256 = sha256;
    }

    /**
     * Reads and checks an IDX file. The header is read and checked first: the payload array is allocated only
     * once the header's promise is known to fit this JVM, and a plain file's length must match it, so a small
     * gzip file promising gigabytes is refused before it is decompressed.
     *
     * @param path where the file is
     * @param hadoop Hadoop configuration used to resolve the file system
     * @param expectedMagic {@link #LABELS_MAGIC} or {@link #IMAGES_MAGIC}
     * @return the file's dimensions, payload and digest
     * @throws DataException when the file is missing, truncated, not gzip/IDX, its sizes disagree or its header
     *     promises more data than this JVM can hold
     */
    public static IdxFile read(Path path, Configuration hadoop, int expectedMagic) {
        String where = path.toString();
        MessageDigest digest = newSha256();
        int[] dims;
        byte[] payload;
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            try (InputStream raw = new BufferedInputStream(fs.open(path), 1 << 16)) {
                boolean gzip = isGzip(raw);
                InputStream in = new DigestInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, digest);
                int rank = expectedMagic & 0xFF;
                int headerBytes = 4 + 4 * rank;
                dims = header(where, in.readNBytes(headerBytes), expectedMagic);
                long elements = product(dims);
                if (!gzip) {
                    checkLength(where, elements, fs.getFileStatus(path).getLen() - headerBytes);
                }
                checkFitsInMemory(where, dims, elements);
                payload = new byte[(int) elements];
                int found = in.readNBytes(payload, 0, payload.length);
                checkLength(where, elements, found < payload.length ? found : found + countRest(in));
            }
        } catch (FileNotFoundException e) {
            throw new DataException(where + ": file not found");
        } catch (EOFException e) {
            throw new DataException(where + ": truncated gzip stream (" + e.getMessage()
                    + "); delete the file and fetch it again");
        } catch (ZipException e) {
            throw new DataException(where + ": corrupt gzip data (" + e.getMessage()
                    + "); delete the file and fetch it again");
        } catch (IOException e) {
            throw new DataException(where + ": cannot be read: " + e.getMessage(), e);
        }
        return new IdxFile(where, dims, payload, HexFormat.of().formatHex(digest.digest()));
    }

    private static int[] header(String where, byte[] bytes, int expectedMagic) {
        int rank = expectedMagic & 0xFF;
        int headerBytes = 4 + 4 * rank;
        if (bytes.length < headerBytes) {
            throw new DataException(where + ": too short for an IDX header: expected at least " + headerBytes
                    + " bytes, found " + bytes.length);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        int magic = header.getInt();
        if (magic != expectedMagic) {
            throw new DataException(String.format("%s: wrong IDX magic number: expected 0x%08x (%s), found 0x%08x",
                    where, expectedMagic, expectedMagic == IMAGES_MAGIC ? "images" : "labels", magic));
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = header.getInt();
            if (dims[d] < 0) {
                throw new DataException(where + ": negative dimension " + dims[d] + " in IDX header");
            }
        }
        return dims;
    }

    private static long product(int[] dims) {
        long elements = 1;
        for (int dim : dims) {
            elements *= dim; // at most three dimensions below 2^31: no overflow
        }
        return elements;
    }

    private static void checkLength(String where, long elements, long found) {
        if (found != elements) {
            throw new DataException(where + ": header promises " + elements + " bytes of data, found " + found
                    + (found < elements ? " (file truncated?)" : " (trailing bytes)"));
        }
    }

    /** The payload is held in one array, and the data set built from it needs about as much again. */
    private static void checkFitsInMemory(String where, int[] dims, long elements) {
        long limit = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 2);
        if (elements > limit) {
            throw new DataException(String.format("%s: header promises %s (%,d bytes), more than this JVM can hold"
                    + " (at most %,d bytes with a heap of %,d MB); split the file or give the driver more memory",
                    where, describe(dims), elements, limit, Runtime.getRuntime().maxMemory() >> 20));
        }
    }

    private static String describe(int[] dims) {
        return dims.length == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
    }

    /** Bytes left after the payload, counted up to 1 MiB without keeping them: only their presence matters. */
    private static long countRest(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long count = 0;
        for (int n = in.read(buffer); n != -1 && count < (1 << 20); n = in.read(buffer)) {
            count += n;
        }
        return count;
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** @return where the file was read from */
    public String location() {
        return location;
    }

    /** @return the dimensions from the header (count, then rows and columns for images) */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** @return the data bytes after the header */
    public byte[] payload() {
        return payload;
    }

    /** @return hex SHA-256 of the whole decompressed file, header included */
    public String sha256() {
        return sha256;
    }
}
