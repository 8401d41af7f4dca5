package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.fashiontrainer.TestData;

/** The downloader against a real HTTP server on 127.0.0.1 that serves the real (gzipped) files. */
class DownloaderTest {
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI base;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @TempDir
    Path target;

    @BeforeEach
    void startServer() throws IOException {
        for (FashionMnistFile file : FashionMnistFile.values()) {
            served.put("/fashion/" + file.gzipName(), Files.readAllBytes(Path.of(TestData.directory(), file.gzipName())));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fashion/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Downloader downloader() {
        return new Downloader(base, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void downloadsVerifiesAndShowsProgress() {
        downloader().fetchMissing(target);

        for (FashionMnistFile file : FashionMnistFile.values()) {
            assertTrue(Files.exists(target.resolve(file.gzipName())), file.gzipName());
        }
        FashionMnist data = FashionMnist.read(new org.apache.hadoop.fs.Path(target.toUri()), new Configuration(), true);
        assertEquals(60000, data.train().size());
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Downloading train-images-idx3-ubyte.gz:") && shown.contains("(100%)"), shown);
    }

    @Test
    void keepsFilesAlreadyPresent() throws IOException {
        Files.write(target.resolve(FashionMnistFile.TEST_LABELS.baseName()), new byte[] {1});
        downloader().fetchMissing(target);
        assertFalse(Files.exists(target.resolve(FashionMnistFile.TEST_LABELS.gzipName())));
    }

    @Test
    void aDamagedDownloadIsRejectedAndLeavesNothingBehind() throws IOException {
        served.put("/fashion/" + FashionMnistFile.TRAIN_LABELS.gzipName(),
                IdxFixtures.gzip(IdxFixtures.labels(60000)));
        DataException e = assertThrows(DataException.class, () -> downloader().fetchMissing(target));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: checksum mismatch after download"),
                e.getMessage());
        assertFalse(Files.exists(target.resolve(FashionMnistFile.TRAIN_LABELS.gzipName())));
        assertFalse(Files.exists(target.resolve(FashionMnistFile.TRAIN_LABELS.gzipName() + ".part")));
    }

    @Test
    void anHttpErrorSaysWhereElseTheDataCanComeFrom() {
        served.remove("/fashion/" + FashionMnistFile.TEST_IMAGES.gzipName());
        DataException e = assertThrows(DataException.class, () -> downloader().fetchMissing(target));
        assertTrue(e.getMessage().contains("download failed with HTTP 404") && e.getMessage().contains("--data"),
                e.getMessage());
    }

    @Test
    void theLocatorPrefersTheFlagThenTheEnvironmentThenLocalThenDebianThenDownloads() throws IOException {
        Configuration hadoop = new Configuration();
        PrintStream log = new PrintStream(progress, true, StandardCharsets.UTF_8);
        Path local = target.resolve("local");
        Path debian = target.resolve("debian");
        DataLocator withEnvironment = new DataLocator(hadoop, Map.of(DataLocator.ENV_VARIABLE, "/from/env"), base,
                log, local, debian);
        assertEquals("/flag", withEnvironment.locate("/flag").toString());
        assertEquals("/from/env", withEnvironment.locate(null).toString());

        DataLocator locator = new DataLocator(hadoop, Map.of(), base, log, local, debian);
        Files.createDirectories(debian);
        IdxFixtures.writeDataSet(debian, 3, 2);
        assertEquals(debian, Path.of(locator.locate(null).toUri()));
        Files.createDirectories(local);
        IdxFixtures.writeDataSet(local, 3, 2);
        assertEquals(local, Path.of(locator.locate(null).toUri()));

        Path empty = target.resolve("empty");
        DataLocator downloading = new DataLocator(hadoop, Map.of(), base, log, empty, target.resolve("nowhere"));
        assertEquals(empty, Path.of(downloading.locate(null).toUri()));
        assertTrue(Files.exists(empty.resolve(FashionMnistFile.TRAIN_IMAGES.gzipName())));
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("downloading it into " + empty));
    }
}
