package dev.fashiontrainer.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.fashiontrainer.export.OnnxScorer;
import dev.fashiontrainer.report.Json;

/**
 * The scoring endpoint on the JDK's HTTP server ({@code com.sun.net.httpserver}, part of every JDK: no dependency
 * to keep up to date for two routes):
 * <ul>
 * <li>{@code POST /predict} with a {@link PredictRequest} body answers
 *     {@code {"predictions": [{"class": 9, "class_name": "Ankle boot", "probability": 0.97, "probabilities":
 *     [...]}, ...]}}, one entry per example, in order;</li>
 * <li>{@code GET /health} answers {@code {"status": "ok", ...}} with the model's layers, input kind and classes.</li>
 * </ul>
 * A body over the size limit gets 413 (before it is read, when its length is declared), a malformed one 400 with
 * one line saying what is wrong, as {@code {"error": "..."}}; neither affects later requests.
 */
public final class ScoringServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService executor;
    private final OnnxScorer scorer;
    private final long maxRequestBytes;

    private ScoringServer(HttpServer server, ExecutorService executor, OnnxScorer scorer, long maxRequestBytes) {
        this.server = server;
        this.executor = executor;
        this.scorer = scorer;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Starts serving {@code scorer} at once.
     *
     * @param scorer the model
     * @param host the address to bind (127.0.0.1 keeps it to this machine)
     * @param port the port, 0 for any free one
     * @param maxRequestBytes the largest body accepted
     * @param threads requests handled at once
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static ScoringServer start(OnnxScorer scorer, String host, int port, long maxRequestBytes, int threads)
            throws IOException {
        // The JDK's server sends a response's headers and body in two writes; with Nagle's algorithm on, the body
        // then waits for the client's delayed ACK, tens of milliseconds per request instead of a few.
        // The property is read once per JVM, when the first server starts; a value the user set wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "scoring");
            thread.setDaemon(true);
            return thread;
        });
        ScoringServer server = new ScoringServer(http, executor, scorer, maxRequestBytes);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/predict")) {
                    requireMethod(exchange, "POST");
                    answer(exchange, 200, predict(readBody(exchange)));
                } else if (path.equals("/health")) {
                    requireMethod(exchange, "GET");
                    answer(exchange, 200, health());
                } else {
                    throw new BadRequest(404, "no such endpoint " + path + "; use POST /predict or GET /health");
                }
            } catch (BadRequest e) {
                answer(exchange, e.status(), Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("scoring a request failed", e);
                answer(exchange, 500, Map.of("error", "the server failed to score the request: " + e.getMessage()));
            }
        } catch (IOException e) {
            LOG.debug("the client went away before its answer was sent", e);
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) throws BadRequest {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new BadRequest(405, exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + ": use " + method);
        }
    }

    /** Reads the body, refusing it (413) once it is longer than the limit: never more than the limit is held. */
    private byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxRequestBytes) {
            throw tooLarge(Long.parseLong(declared) + " bytes");
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            if (body.length > maxRequestBytes) {
                throw tooLarge("more than " + maxRequestBytes + " bytes");
            }
            return body;
        }
    }

    private BadRequest tooLarge(String found) {
        return new BadRequest(413, "the body holds " + found + ", over the limit of " + maxRequestBytes
                + " bytes; send smaller batches (or start serve with a larger --max-request-bytes)");
    }

    private Map<String, Object> predict(byte[] body) throws BadRequest {
        PredictRequest request = PredictRequest.parse(body, scorer.input(), scorer.width());
        List<float[]> probabilities = scorer.probabilities(request.features(), request.rows());
        List<Map<String, Object>> predictions = new ArrayList<>(probabilities.size());
        for (float[] row : probabilities) {
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                best = row[c] > row[best] ? c : best;
            }
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("class", best);
            prediction.put("class_name", scorer.classNames().get(best));
            prediction.put("probability", row[best]);
            prediction.put("probabilities", row);
            predictions.add(prediction);
        }
        return Map.of("predictions", predictions);
    }

    private Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("layers", scorer.layers());
        health.put("input", scorer.input().label());
        health.put("classes", scorer.classNames());
        return health;
    }

    private static void answer(HttpExchange exchange, int status, Object content) throws IOException {
        byte[] json = Json.write(content).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    /** Stops listening, lets running requests end (up to a second), and closes the model. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        scorer.close();
    }
}
