package dev.fashiontrainer.rundir;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint's parameters depend on besides the settings: the data they were trained on and the code that
 * computed them. A run resumes from a checkpoint only when both are the same as its own.
 *
 * @param dataSha256 SHA-256 of each decompressed data file, by file name
 * @param versions versions of the trainer and of the libraries that compute (DL4J, ND4J)
 */
public record Provenance(Map<String, String> dataSha256, Map<String, String> versions) {
    // Spark, Scala and Java versions are left out: they move data and schedule tasks but do not change the numbers.
    private static final List<String> COMPUTING = List.of("fashion_trainer", "deeplearning4j", "nd4j");

    /** Keeps sorted, unmodifiable copies, so that the JSON lists the files in a stable order. */
    public Provenance {
        dataSha256 = Collections.unmodifiableMap(new TreeMap<>(dataSha256));
        versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    /**
     * @param digests the data files' digests as read, by file name
     * @param allVersions every component's version ({@code Versions.of})
     * @return the provenance a checkpoint records
     */
    public static Provenance of(Map<String, String> digests, Map<String, String> allVersions) {
        Map<String, String> versions = new TreeMap<>();
        for (String component : COMPUTING) {
            versions.put(component, allVersions.getOrDefault(component, "unknown"));
        }
        return new Provenance(digests, versions);
    }
}
