package dev.fashiontrainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.export.OnnxScorer;
import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.serve.ScoringServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer serve --model model.onnx --port 8080}: answers {@code POST /predict} and
 * {@code GET /health} ({@link ScoringServer}) until stopped (Ctrl-C or SIGTERM). It scores with ONNX Runtime, from
 * the exported file, so what it answers is what any other ONNX Runtime service would answer.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Serves an exported model.onnx over HTTP: POST /predict with {\"instances\": [[...], ...]}"
                + " (feature vectors; raw 0-255 pixels for an image model) or {\"images\": [\"<base64 PNG>\", ...]}"
                + " answers each example's class, class name and probabilities; GET /health. Runs until stopped"
                + " (Ctrl-C).", ""},
        footer = ExitCodes.HELP)
public final class ServeCommand implements Callable<Integer> {
    /** The largest model file read into memory: the seed's network is 2.7 MB. */
    private static final long MAX_MODEL_BYTES = 1L << 30;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A model.onnx written by a training run or by 'export' (any Hadoop location).")
    String model;

    @Option(names = "--port", paramLabel = "N", description = "The port to listen on. Default: ${DEFAULT-VALUE}.")
    int port = 8080;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "The address to bind: 127.0.0.1 answers this machine only; 0.0.0.0 every network (put"
                    + " your own authentication in front). Default: ${DEFAULT-VALUE}.")
    String host = "127.0.0.1";

    @Option(names = "--max-request-bytes", paramLabel = "N",
            description = "The largest request body accepted; larger ones get 413. Default: ${DEFAULT-VALUE}"
                    + " (about 1,000 images as JSON vectors).")
    long maxRequestBytes = 4L << 20;

    @Option(names = "--threads", paramLabel = "N",
            description = "Requests scored at once (ONNX Runtime runs each on one thread). Default: ${DEFAULT-VALUE}.")
    int threads = 2;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535 || maxRequestBytes < 1 || threads < 1) {
            throw new ConfigException("--port must be 0-65535, --max-request-bytes and --threads positive; found "
                    + port + ", " + maxRequestBytes + " and " + threads);
        }
        OnnxScorer scorer = OnnxScorer.open(read(new Path(model)), model, 1);
        ScoringServer server;
        try {
            server = ScoringServer.start(scorer, host, port, maxRequestBytes, threads);
        } catch (IOException e) {
            scorer.close();
            throw new OutputException(host + ":" + port + ": cannot listen there (" + e.getMessage() + "); pass"
                    + " another --port or --host", e);
        }
        System.err.printf("Serving %s (%s, input %s, classes %s) on http://%s:%d: POST /predict, GET /health%n",
                model, scorer.layers(), scorer.input().label(), String.join(", ", scorer.classNames()), host,
                server.port());
        new CountDownLatch(1).await(); // until a signal ends the process
        return ExitCodes.OK;
    }

    private static byte[] read(Path path) {
        try {
            var fs = path.getFileSystem(new Configuration());
            long length = fs.getFileStatus(path).getLen();
            if (length > MAX_MODEL_BYTES) {
                throw new ModelException(path + ": " + length + " bytes, larger than any model this trainer exports;"
                        + " pass a model.onnx written by a training run or by 'export'");
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ModelException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
