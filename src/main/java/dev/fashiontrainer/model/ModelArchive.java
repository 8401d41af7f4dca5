package dev.fashiontrainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.report.Json;

/**
 * Opens a DL4J {@code model.zip} as untrusted input before DL4J sees it. DL4J's {@link ModelSerializer} reads any
 * {@code preprocessor.bin} entry with Java deserialization, which runs code named by the file; its configuration
 * names Jackson classes to instantiate. So our code reads the archive first: only the entries this network needs
 * ({@link #LIMITS}), each within a size limit, and a configuration that names classes of DL4J and ND4J only. DL4J
 * then reads a copy holding just those entries, never the file itself (whose central directory could list other
 * entries than those read here).
 */
public final class ModelArchive {
    /**
     * The entries a model may have, with their largest allowed size in bytes: a network of up to 128 million
     * parameters (the seed's 784-512-512-10 takes 2.7 MB; Adam's updater state is twice the parameters).
     */
    public static final Map<String, Long> LIMITS = Map.of(
            "configuration.json", 1L << 20,
            "coefficients.bin", 512L << 20,
            "updaterState.bin", 1024L << 20,
            "noParams.marker", 1L << 10);
    private static final String[] TRUSTED_PACKAGES = {"org.deeplearning4j.nn.", "org.nd4j.linalg."};
    /** The entries DL4J reads as ND4J arrays, whose headers say how many values ND4J allocates. */
    private static final List<String> ARRAY_ENTRIES = List.of("coefficients.bin", "updaterState.bin");
    /** Bytes per value of the ND4J data types an array of a model may be stored in. */
    private static final Map<String, Integer> VALUE_BYTES = Map.of("DOUBLE", 8, "FLOAT", 4, "HALF", 2,
            "BFLOAT16", 2, "LONG", 8, "INT", 4);
    /** ND4J's older allocation modes, whose buffers store their length as an int instead of a long. */
    private static final List<String> INT_LENGTH_MODES = List.of("HEAP", "JAVACPP", "DIRECT");

    private ModelArchive() {
    }

    /**
     * @param location the model file
     * @param fs its file system
     * @param withUpdater also restore the optimizer's state (checkpoints)
     * @return the network DL4J builds from the vetted entries
     * @throws ModelException (exit 3) when the file is missing, not a zip, has other or oversized entries, names
     *     other classes, or DL4J cannot read it
     */
    public static MultiLayerNetwork restore(Path location, FileSystem fs, boolean withUpdater) {
        byte[] vetted;
        try (InputStream in = fs.open(location)) {
            vetted = vettedCopy(location, in);
        } catch (FileNotFoundException e) {
            throw new ModelException(location + ": file not found; pass --model with a run's model.zip", e);
        } catch (IOException e) {
            throw new ModelException(location + ": not a readable model.zip (" + e.getMessage() + ")", e);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(vetted), withUpdater);
        } catch (IOException | RuntimeException e) {
            // DL4J reports a zip without its entries or a foreign configuration in many ways.
            throw new ModelException(location + " is not a model of this network: expected a DL4J model.zip of a"
                    + " dense network, found a file DL4J cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads the allowed entries within their limits and writes them into a fresh zip. */
    private static byte[] vettedCopy(Path location, InputStream in) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                Long limit = LIMITS.get(name);
                if (limit == null) {
                    throw new ModelException(location + ": unexpected entry '" + name + "' in the model file; a"
                            + " model of this trainer holds only " + String.join(", ", LIMITS.keySet())
                            + " (refused before DL4J reads it)");
                }
                if (entries.containsKey(name)) {
                    throw new ModelException(location + ": entry '" + name + "' appears twice in the model file");
                }
                byte[] content = zip.readNBytes((int) (limit + 1));
                if (content.length > limit) {
                    throw new ModelException(location + ": entry '" + name + "' is larger than the " + limit
                            + " bytes a model of this network needs");
                }
                entries.put(name, content);
            }
        } catch (ZipException e) {
            throw new ModelException(location + ": not a zip file (" + e.getMessage() + "); pass --model with a"
                    + " run's model.zip", e);
        }
        if (!entries.containsKey("configuration.json")) {
            throw new ModelException(location + " is not a model of this network: expected a DL4J model.zip of a"
                    + " dense network, found " + (entries.isEmpty() ? "no zip entries"
                    : "only " + String.join(", ", entries.keySet())));
        }
        checkClassNames(location, Json.mapper().readTree(entries.get("configuration.json")));
        for (String name : ARRAY_ENTRIES) {
            if (entries.containsKey(name)) {
                checkArrayLengths(location, name, entries.get(name));
            }
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(copy)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return copy.toByteArray();
    }

    /**
     * An ND4J array as DL4J stores it is two buffers, the shape and the values, each a header (allocation mode,
     * length, data type) and then its values. ND4J allocates the length a header gives before reading the values,
     * so every length must fit in the bytes the entry holds, or a few bytes could ask for gigabytes.
     */
    private static void checkArrayLengths(Path location, String name, byte[] content) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(content));
        for (String buffer : new String[] {"shape", "values"}) {
            String mode = in.readUTF();
            long length = INT_LENGTH_MODES.contains(mode) ? in.readInt() : in.readLong();
            String type = in.readUTF();
            Integer valueBytes = VALUE_BYTES.get(type);
            if (valueBytes == null) {
                throw new ModelException(location + ": entry '" + name + "' stores its " + buffer + " as " + type
                        + "; a model of this network stores numbers (" + String.join(", ", VALUE_BYTES.keySet())
                        + ")");
            }
            int left = in.available();
            if (length < 0 || length > left / valueBytes) {
                throw new ModelException(String.format("%s: entry '%s' promises %,d %s values for its %s, more than"
                        + " the %,d bytes left in it hold (refused before DL4J allocates them)", location, name,
                        length, type, buffer, left));
            }
            in.skipNBytes(length * valueBytes);
        }
    }

    /** Every {@code @class} the configuration asks Jackson to instantiate must be one of DL4J's or ND4J's. */
    private static void checkClassNames(Path location, JsonNode node) {
        if (node.isObject()) {
            JsonNode type = node.get("@class");
            if (type != null && !isTrusted(type.asText())) {
                throw new ModelException(location + ": the configuration names class '" + type.asText()
                        + "'; a model of this trainer names only DL4J and ND4J classes");
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            checkClassNames(location, children.next());
        }
    }

    private static boolean isTrusted(String className) {
        for (String prefix : TRUSTED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
