package dev.fashiontrainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the upstream gzipped Fashion-MNIST files into a local directory. Each file is written under a
 * {@code .part} name, its decompressed SHA-256 checked, and only then renamed into place, so an interrupted or
 * damaged download never looks like data.
 */
public final class Downloader {
    /** Where Zalando publishes the files. */
    public static final URI UPSTREAM = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    private final URI base;
    private final PrintStream progress;
    private final HttpClient http;

    /**
     * @param base the URI the four {@code .gz} names are resolved against
     * @param progress where the progress line goes (standard error for the command line)
     */
    public Downloader(URI base, PrintStream progress) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.progress = progress;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads every file that {@code directory} lacks.
     *
     * @param directory local target directory, created when missing
     * @throws DataException when a download fails or its content does not match the published checksum
     */
    public void fetchMissing(java.nio.file.Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DataException(directory + ": cannot create the data directory: " + e.getMessage(), e);
        }
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (Files.exists(directory.resolve(file.baseName())) || Files.exists(directory.resolve(file.gzipName()))) {
                continue;
            }
            fetch(file, directory);
        }
    }

    private void fetch(FashionMnistFile file, java.nio.file.Path directory) {
        URI source = base.resolve(file.gzipName());
        java.nio.file.Path target = directory.resolve(file.gzipName());
        java.nio.file.Path partial = directory.resolve(file.gzipName() + ".part");
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new DataException(source + ": download failed with HTTP " + response.statusCode()
                        + "; pass --data DIR or set FASHION_MNIST_DIR to a directory holding the files");
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(partial)) {
                copyWithProgress(in, out, total, file.gzipName());
            }
            String digest = decompressedSha256(partial);
            if (!digest.equals(file.sha256())) {
                Files.deleteIfExists(partial);
                throw new DataException(source + ": checksum mismatch after download: expected SHA-256 "
                        + file.sha256() + ", found " + digest + "; try again or fetch the files by hand");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new DataException(source + ": download failed (" + e + "); pass --data DIR, set FASHION_MNIST_DIR,"
                    + " or install Debian's dataset-fashion-mnist", e);
        } catch (InterruptedException e) {
            deleteQuietly(partial);
            Thread.currentThread().interrupt();
            throw new DataException(source + ": download interrupted", e);
        }
    }

    private void copyWithProgress(InputStream in, OutputStream out, long total, String name) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        long lastShown = -1;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            done += n;
            long shownStep = done >> 20;
            if (shownStep != lastShown) {
                lastShown = shownStep;
                progress.print(progressLine(name, done, total));
            }
        }
        progress.println(progressLine(name, done, total));
    }

    private static String progressLine(String name, long done, long total) {
        if (total > 0) {
            return String.format("\rDownloading %s: %.1f / %.1f MB (%d%%)", name, done / 1e6, total / 1e6,
                    done * 100 / total);
        }
        return String.format("\rDownloading %s: %.1f MB", name, done / 1e6);
    }

    private static String decompressedSha256(java.nio.file.Path gz) throws IOException {
        MessageDigest digest = IdxFile.newSha256();
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteQuietly(java.nio.file.Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the .part name already marks it as unfinished
        }
    }
}
