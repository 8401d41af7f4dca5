package dev.fashiontrainer.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
     * Reads and checks an IDX file.
     *
     * @param path where the file is
     * @param hadoop Hadoop configuration used to resolve the file system
     * @param expectedMagic {@link #LABELS_MAGIC} or {@link #IMAGES_MAGIC}
     * @return the file's dimensions, payload and digest
     * @throws DataException when the file is missing, truncated, not gzip/IDX or its sizes disagree
     */
    public static IdxFile read(Path path, Configuration hadoop, int expectedMagic) {
        String where = path.toString();
        byte[] content;
        MessageDigest digest = newSha256();
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            try (InputStream in = open(fs, path)) {
                content = readAll(new DigestInputStream(in, digest));
            }
        } catch (IOException e) {
            throw readFailure(where, e);
        }
        return parse(where, content, expectedMagic, HexFormat.of().formatHex(digest.digest()));
    }

    private static IdxFile parse(String where, byte[] content, int expectedMagic, String sha256) {
        int headerBytes = headerBytes(expectedMagic);
        if (content.length < headerBytes) {
            throw new DataException(where + ": too short for an IDX header: expected at least " + headerBytes
                    + " bytes, found " + content.length);
        }
        int[] dims = parseHeader(where, ByteBuffer.wrap(content, 0, headerBytes), expectedMagic);
        checkPayload(where, dims, content.length - headerBytes);
        byte[] payload = new byte[content.length - headerBytes];
        System.arraycopy(content, headerBytes, payload, 0, payload.length);
        return new IdxFile(where, dims, payload, sha256);
    }

    /** @return the error that a failure to read {@code where} means, naming the file */
    static DataException readFailure(String where, IOException e) {
        if (e instanceof FileNotFoundException) {
            return new DataException(where + ": file not found");
        }
        if (e instanceof EOFException) {
            return new DataException(where + ": truncated gzip stream (" + e.getMessage()
                    + "); delete the file and fetch it again");
        }
        if (e instanceof ZipException) {
            return new DataException(where + ": corrupt gzip data (" + e.getMessage()
                    + "); delete the file and fetch it again");
        }
        return new DataException(where + ": cannot be read: " + e.getMessage(), e);
    }

    /** @return the header's size in bytes for a file of this magic number: 4, plus 4 per dimension */
    static int headerBytes(int expectedMagic) {
        return 4 + 4 * (expectedMagic & 0xFF);
    }

    /** @return the dimensions in {@code header}, after checking its magic number */
    static int[] parseHeader(String where, ByteBuffer header, int expectedMagic) {
        int magic = header.getInt();
        if (magic != expectedMagic) {
            throw new DataException(String.format("%s: wrong IDX magic number: expected 0x%08x (%s), found 0x%08x",
                    where, expectedMagic, expectedMagic == IMAGES_MAGIC ? "images" : "labels", magic));
        }
        int[] dims = new int[expectedMagic & 0xFF];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = header.getInt();
            if (dims[d] < 0) {
                throw new DataException(where + ": negative dimension " + dims[d] + " in IDX header");
            }
        }
        return dims;
    }

    /** Checks that {@code found} data bytes are what the header's dimensions promise. */
    static void checkPayload(String where, int[] dims, long found) {
        long elements = 1;
        for (int dim : dims) {
            elements *= dim;
        }
        if (found != elements) {
            throw new DataException(where + ": header promises " + elements + " bytes of data, found " + found
                    + (found < elements ? " (file truncated?)" : " (trailing bytes)"));
        }
    }

    /**
     * Opens a file for reading its decompressed bytes, gzipped or not.
     *
     * @return a stream of the decompressed content, buffered
     */
    static InputStream open(FileSystem fs, Path path) throws IOException {
        InputStream raw = new BufferedInputStream(fs.open(path), 1 << 16);
        return isGzip(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        in.transferTo(out);
        return out.toByteArray();
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
