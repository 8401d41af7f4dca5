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
    /** Deflate, gzip's only method, expands its input at most 1032-fold (RFC 1951's longest match per bit). */
    private static final long MAX_DEFLATE_RATIO = 1032;

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
                int headerBytes = headerBytes(expectedMagic);
                byte[] header = in.readNBytes(headerBytes);
                if (header.length < headerBytes) {
                    throw new DataException(where + ": too short for an IDX header: expected at least "
                            + headerBytes + " bytes, found " + header.length);
                }
                dims = parseHeader(where, ByteBuffer.wrap(header), expectedMagic);
                long length = fs.getFileStatus(path).getLen();
                if (!gzip) {
                    checkPayload(where, dims, length - headerBytes);
                }
                payload = allocatePayload(where, dims, gzip ? length : -1);
                int found = in.readNBytes(payload, 0, payload.length);
                checkPayload(where, dims, found < payload.length ? found : found + countRest(in));
            }
        } catch (IOException e) {
            throw readFailure(where, e);
        }
        return new IdxFile(where, dims, payload, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * @param gzipLength the length of the gzip file the payload is decompressed from, or -1 for a plain file
     * @return an array for the payload the header promises
     * @throws DataException when it would not fit in one array, or in half the heap (the data set built from it
     *     needs about as much again), or when it is more than a gzip file of that length can decompress to
     */
    private static byte[] allocatePayload(String where, int[] dims, long gzipLength) {
        long elements = 1;
        for (int dim : dims) {
            elements *= dim; // at most three dimensions below 2^31: no overflow
        }
        long limit = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 2);
        if (elements > limit) {
            String what = dims.length == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
            throw new DataException(String.format("%s: header promises %s (%,d bytes), more than this JVM can hold"
                    + " (at most %,d bytes with a heap of %,d MB); split the file or give the driver more memory",
                    where, what, elements, limit, Runtime.getRuntime().maxMemory() >> 20));
        }
        if (gzipLength >= 0 && elements > gzipLength * MAX_DEFLATE_RATIO) {
            throw new DataException(String.format("%s: header promises %,d bytes of data, more than a gzip file of"
                    + " %,d bytes can decompress to (%d times its size); the file is damaged: delete it and fetch it"
                    + " again", where, elements, gzipLength, MAX_DEFLATE_RATIO));
        }
        return new byte[(int) elements];
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
