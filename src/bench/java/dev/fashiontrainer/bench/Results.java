package dev.fashiontrainer.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.fashiontrainer.report.Json;

/**
 * How a measurement's child JVM hands its numbers to {@link Benchmark}: one line on standard output that starts
 * with {@link #PREFIX} and holds a JSON object; everything else the child prints is passed through as a log.
 */
final class Results {
    /** Starts the result line. */
    static final String PREFIX = "BENCHMARK-RESULT ";

    private Results() {
    }

    /** Prints {@code values} as the result line. */
    static void emit(Map<String, Object> values) {
        try {
            System.out.println(PREFIX + Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(values));
            System.out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the result " + values, e);
        }
    }

    /**
     * @param line a line a child printed
     * @return its values, or null when it is not a result line
     */
    static Map<String, Object> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        try {
            return Json.mapper().readValue(line.substring(PREFIX.length()), new TypeReference<>() { });
        } catch (IOException e) {
            throw new IllegalStateException("expected a JSON object after " + PREFIX.trim() + ", found " + line, e);
        }
    }

    /** @return the median of {@code values} (the mean of the middle two for an even count) */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("expected at least one value for a median, found none");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** @return the numbers of a JSON list value */
    static List<Double> numbers(Object list) {
        List<Double> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }
}
