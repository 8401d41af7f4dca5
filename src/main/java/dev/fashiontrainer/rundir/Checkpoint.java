package dev.fashiontrainer.rundir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.model.ModelArchive;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.report.Json;

/**
 * The state a run needs to continue after a crash, saved after every epoch in the run directory:
 * {@code checkpoint-epoch-K.zip} (the averaged parameters and the updater state, in DL4J's format), with
 * {@code --block-momentum} {@code checkpoint-epoch-K-engine.bin} (the driver's last step: a count, then that many
 * big-endian floats), and then {@code checkpoint.json}, which names those files, the epoch, the settings, the data
 * digests and code versions, and the metrics so far. The JSON is written last and atomically, so it always points
 * at a complete model file. No random-number state needs saving: every order is derived from the seed and the
 * epoch number, so epoch K+1 shuffles the same way whether or not the run was interrupted before it.
 *
 * <p>The run directory may have been written by someone else: the file names in {@code checkpoint.json} must be
 * the trainer's own ({@link #FILES}), and the model file is opened only through {@link ModelArchive}.
 *
 * @param epoch the last completed epoch, 1-based
 * @param modelFile the checkpoint's model file name within the run directory
 * @param engineStateFile the file of the engine's carried state within the run directory, or null when it has none
 * @param settings the run's settings as saved, which a resumed run must match
 * @param provenance the data digests and code versions as saved, which a resumed run must match
 * @param metrics the metrics of epochs 1 to {@code epoch}
 */
public record Checkpoint(int epoch, String modelFile, String engineStateFile, JsonNode settings,
                         JsonNode provenance, List<EpochMetrics> metrics) {
    /** The pointer file, written last. */
    public static final String POINTER = "checkpoint.json";
    /** Every file name a checkpoint consists of; nothing else is deleted or opened as one. */
    public static final Pattern FILES =
            Pattern.compile("checkpoint\\.json|checkpoint-epoch-[0-9]+(\\.zip|-engine\\.bin)");
    private static final Pattern MODEL_FILE = Pattern.compile("checkpoint-epoch-[0-9]+\\.zip");
    private static final Pattern STATE_FILE = Pattern.compile("checkpoint-epoch-[0-9]+-engine\\.bin");

    /**
     * Saves the state after {@code epoch} and removes the previous epoch's model file.
     *
     * @param outputs the run directory
     * @param model the averaged model, with its updater state
     * @param engineState what the engine carries to the next epoch besides the model (may be empty)
     * @param settings the run's settings
     * @param provenance the run's data digests and code versions
     * @param epoch the epoch just completed
     * @param metrics all metrics so far
     */
    public static void save(RunDirectory outputs, MultiLayerNetwork model, float[] engineState,
                            TrainingConfig settings, Provenance provenance, int epoch, List<EpochMetrics> metrics) {
        String modelFile = modelFile(epoch);
        outputs.writeAtomically(modelFile, stream -> ModelSerializer.writeModel(model, stream, true));
        String stateFile = null;
        if (engineState.length > 0) {
            stateFile = stateFile(epoch);
            outputs.writeAtomically(stateFile, stream -> writeFloats(engineState, stream));
        }
        outputs.writeText(POINTER, Json.write(new Checkpoint(epoch, modelFile, stateFile,
                Json.mapper().valueToTree(settings), Json.mapper().valueToTree(provenance), List.copyOf(metrics))));
        if (epoch > 1) {
            outputs.delete(modelFile(epoch - 1));
            outputs.delete(stateFile(epoch - 1));
        }
    }
    private static String modelFile(int epoch) {
        return String.format("checkpoint-epoch-%d.zip", epoch);
    }

    private static String stateFile(int epoch) {
        return String.format("checkpoint-epoch-%d-engine.bin", epoch);
    }

    private static void writeFloats(float[] values, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(values.length);
        for (float value : values) {
            out.writeFloat(value);
        }
        out.flush();
    }

    /**
     * @param outputs the run directory
     * @return the latest checkpoint, or null when the run has none
     * @throws OutputException when the checkpoint exists but cannot be read
     */
    public static Checkpoint latest(RunDirectory outputs) {
        if (!outputs.exists(POINTER)) {
            return null;
        }
        try {
            JsonNode json = Json.mapper().readTree(outputs.readText(POINTER));
            JsonNode stateFile = json.get("engine_state_file");
            return new Checkpoint(json.get("epoch").asInt(), ownName(json.get("model_file").asText(), MODEL_FILE),
                    stateFile == null || stateFile.isNull() ? null : ownName(stateFile.asText(), STATE_FILE),
                    json.get("settings"), json.get("provenance"),
                    Json.mapper().convertValue(json.get("metrics"), new TypeReference<List<EpochMetrics>>() { }));
        } catch (IOException | RuntimeException e) {
            throw new OutputException(new Path(outputs.path(), POINTER) + ": unreadable checkpoint (" + e.getMessage()
                    + "); pass --no-resume to start the run again", e);
        }
    }

    private static String ownName(String name, Pattern expected) throws IOException {
        if (!expected.matcher(name).matches()) {
            throw new IOException("expected a file name matching " + expected.pattern() + ", found '" + name + "'");
        }
        return name;
    }

    /**
     * Refuses to resume from a checkpoint that other settings, other data or other code made: its parameters
     * would silently continue another run.
     *
     * @param outputs the run directory, for the message
     * @param current the settings of the run that wants to resume
     * @param currentProvenance that run's data digests and code versions
     * @throws ConfigException (exit 2) naming every difference
     */
    public void checkResumableWith(RunDirectory outputs, TrainingConfig current, Provenance currentProvenance) {
        List<String> differences = new ArrayList<>(SettingsDifference.between(settings, current));
        SettingsDifference.between(provenance, currentProvenance).forEach(differences::add);
        if (!differences.isEmpty()) {
            throw new ConfigException(outputs.path() + " holds a checkpoint made with other settings, data or code ("
                    + String.join("; ", differences) + "); rerun with the same flags, data and version, pass"
                    + " --no-resume to start over, or use another --run-id");
        }
    }

    /**
     * Copies the checkpoint's parameters and updater state into {@code model}.
     *
     * @param outputs the run directory holding the checkpoint
     * @param model a network of the same configuration
     */
    public void restoreInto(RunDirectory outputs, MultiLayerNetwork model) {
        MultiLayerNetwork saved = ModelArchive.restore(outputs.file(modelFile), outputs.fileSystem(), true);
        ParameterSnapshot.of(saved).applyTo(model);
    }

    /**
     * @param outputs the run directory holding the checkpoint
     * @return the engine's carried state as saved, empty when the checkpoint has none
     */
    public float[] engineState(RunDirectory outputs) {
        if (engineStateFile == null) {
            return new float[0];
        }
        Path file = outputs.file(engineStateFile);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                outputs.fileSystem().open(file)))) {
            int count = in.readInt();
            // the count comes from a file anyone may have written: it must match the file's length before it
            // decides an allocation, or a few bytes could ask for gigabytes
            long expectedLength = Integer.BYTES + (long) count * Float.BYTES;
            long length = outputs.fileSystem().getFileStatus(file).getLen();
            if (count < 0 || expectedLength != length) {
                throw new IOException("its header promises " + count + " floats (" + expectedLength + " bytes),"
                        + " the file holds " + length + " bytes");
            }
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = in.readFloat();
            }
            return values;
        } catch (IOException e) {
            throw new OutputException(file + ": unreadable checkpoint (" + e.getMessage()
                    + "); pass --no-resume to start the run again", e);
        }
    }

    /**
     * Removes every checkpoint file of the run, found by name ({@link #FILES}), not through {@code checkpoint.json}:
     * an unreadable or hostile pointer must not stop {@code --no-resume} or steer what is deleted.
     */
    public static void deleteAll(RunDirectory outputs) {
        outputs.delete(POINTER); // first: a crash halfway leaves no pointer to half-deleted files
        outputs.deleteMatching(FILES);
    }
}
