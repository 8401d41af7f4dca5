package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import dev.fashiontrainer.config.ReductionKind;
import dev.fashiontrainer.report.Json;

/**
 * The cost of one averaging round as docs/scaling.md fits it ({@code submit/scaling_report.py} writes the
 * coefficients to {@code docs/scaling-model.json}): {@code a + c N + (alpha K + beta) P / B}, with K the results
 * that cross the busiest link (N direct to the driver; about 2 sqrt(N) through the tree), P the parameter bytes and
 * B the link's measured throughput in bytes per second.
 *
 * @param path the reduction path these coefficients are for
 * @param fixedSeconds a: Spark's scheduling, serialization and merging that do not grow with the model
 * @param perWorkerSeconds c
 * @param alpha how many times the parameters' transfer time each result crossing the busiest link costs
 * @param beta the same for the broadcast out of the driver
 */
public record RoundCostModel(ReductionKind path, double fixedSeconds, double perWorkerSeconds, double alpha,
                             double beta) {
    /**
     * @param file the fitted model, {@code docs/scaling-model.json}
     * @param path {@link ReductionKind#DIRECT} or {@link ReductionKind#TREE}
     * @return that path's coefficients
     * @throws IOException when the file cannot be read
     */
    public static RoundCostModel read(Path file, ReductionKind path) throws IOException {
        Map<?, ?> model = Json.mapper().readValue(file.toFile(), Map.class);
        Map<?, ?> coefficients = (Map<?, ?>) model.get(path.cliName());
        return new RoundCostModel(path, number(coefficients, "a"), number(coefficients, "c"),
                number(coefficients, "alpha"), number(coefficients, "beta"));
    }

    /**
     * @param workers N
     * @param parameters the network's parameter count (4 bytes each)
     * @param bytesPerSecond one TCP stream's measured throughput through the link's limit
     * @return the predicted seconds of one round
     */
    public double roundSeconds(int workers, long parameters, double bytesPerSecond) {
        int group = (int) Math.ceil(Math.sqrt(workers));
        int groups = (workers + group - 1) / group;
        int carried = path == ReductionKind.TREE ? group + groups : workers;
        double transfer = 4.0 * parameters / bytesPerSecond;
        return fixedSeconds + perWorkerSeconds * workers + (alpha * carried + beta) * transfer;
    }

    private static double number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }
}
