package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3-compatible server on 127.0.0.1 for tests: Adobe's S3Mock (a Spring Boot application from Maven Central,
 * copied to {@code target/s3mock/s3mock.jar} by the build) in a JVM of its own, keeping its objects in a directory.
 * S3Mock speaks the S3 REST protocol that Hadoop's s3a connector uses (path-style requests, ListObjectsV2, multipart
 * uploads) and needs no credentials, so the test reads objects back with plain HTTP requests. Chosen over npm's
 * s3rver because the build fetches it like any other test dependency. Its plain-HTTP port listens on every
 * interface (S3Mock has no setting for that one); the tests only ever connect to 127.0.0.1.
 */
final class S3Server implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private S3Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server and creates {@code bucket}.
     *
     * @param directory where the server keeps its objects and its log
     * @param bucket the bucket to create
     * @return the running server
     */
    static S3Server start(Path directory, String bucket) {
        Path jar = Path.of(StandaloneCluster.required("cluster.s3mockJar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("expected S3Mock at " + jar + " (copied by mvn verify's"
                    + " pre-integration-test phase); found no such file");
        }
        int port = StandaloneCluster.freePort();
        try {
            Files.createDirectories(directory);
            // Its HTTPS port (Spring's server.port) is not used: 0 takes any free one, on the loopback address only.
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString(),
                    "--com.adobe.testing.s3mock.httpPort=" + port, "--server.port=0", "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + directory.resolve("objects"),
                    "--spring.main.banner-mode=off")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("s3mock.log").toFile()).start();
            S3Server server = new S3Server(process, port);
            try {
                server.awaitUp(directory);
                server.send(HttpRequest.newBuilder(server.uri(bucket)).PUT(HttpRequest.BodyPublishers.noBody()), 200);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock", e);
        }
    }

    /** @return the endpoint for s3a ({@code fs.s3a.endpoint}) */
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the object's content, empty when there is no such object */
    Optional<byte[]> get(String bucket, String key) {
        HttpResponse<byte[]> response = request(HttpRequest.newBuilder(uri(bucket + "/" + key)).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        check(response, 200);
        return Optional.of(response.body());
    }

    /** @return the keys of the bucket's objects that start with {@code prefix} (up to 1000) */
    List<String> keys(String bucket, String prefix) {
        HttpResponse<String> response = request(HttpRequest.newBuilder(
                uri(bucket + "?list-type=2&prefix=" + prefix)).GET(), HttpResponse.BodyHandlers.ofString());
        check(response, 200);
        List<String> keys = new ArrayList<>();
        Matcher matcher = KEY.matcher(response.body());
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    /** @return the files of a run directory on this server, for {@link RunOutputs} */
    RunOutputs runOutputs(String bucket, String prefix) {
        return new RunOutputs("s3a://" + bucket + "/" + prefix, name -> get(bucket, prefix + "/" + name));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitUp(Path directory) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with code " + process.exitValue() + " while starting;"
                        + " see " + directory.resolve("s3mock.log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri("")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Mock", e);
            }
            StandaloneCluster.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("S3Mock did not answer within " + STARTUP.toSeconds() + " s; see "
                + directory.resolve("s3mock.log"));
    }

    private URI uri(String path) {
        return URI.create(endpoint() + "/" + path);
    }

    private void send(HttpRequest.Builder request, int expectedStatus) {
        check(request(request, HttpResponse.BodyHandlers.ofString()), expectedStatus);
    }

    private <T> HttpResponse<T> request(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("S3Mock did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void check(HttpResponse<?> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("expected HTTP " + expectedStatus + " from S3Mock for " + response.uri()
                    + ", found " + response.statusCode() + ": " + response.body());
        }
    }
}
