package dev.fashiontrainer.rundir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.fashiontrainer.report.Json;

/**
 * What differs between two recorded JSON objects (settings, provenance), field by field, in words a user can act
 * on: {@code epochs 3 there, 5 now}.
 */
public final class SettingsDifference {
    private SettingsDifference() {
    }

    /**
     * @param saved what a checkpoint or a finished run recorded (may be null when it recorded nothing)
     * @param current what this run has, serialized with the outputs' JSON mapper
     * @return one entry per differing field, empty when they are the same
     */
    public static List<String> between(JsonNode saved, Object current) {
        JsonNode now;
        try { // compare as parsed text, as the saved values were: numbers then have the same node types
            now = Json.mapper().readTree(Json.write(current));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read our own JSON", e);
        }
        List<String> differences = new ArrayList<>();
        collect("", saved == null ? MissingNode.getInstance() : saved, now, differences);
        return differences;
    }

    /** Compares field by field, descending into objects on both sides: {@code versions.nd4j 1 there, 2 now}. */
    private static void collect(String prefix, JsonNode then, JsonNode now, List<String> differences) {
        Set<String> fields = new LinkedHashSet<>();
        now.fieldNames().forEachRemaining(fields::add);
        then.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode a = then.path(field);
            JsonNode b = now.path(field);
            if (a.isObject() && b.isObject()) {
                collect(prefix + field + ".", a, b, differences);
            } else if (!a.equals(b)) {
                differences.add(prefix + field + " " + shown(a) + " there, " + shown(b) + " now");
            }
        }
    }

    private static String shown(JsonNode value) {
        if (value.isMissingNode()) {
            return "(none)";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
