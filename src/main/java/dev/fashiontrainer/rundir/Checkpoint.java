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
import dev.fashiontrainer.epochs.LoopState;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.model.ModelArchive;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.report.Json;

/**
 * The state a run needs to continue after a crash, saved every {@code --checkpoint-every} epochs (and after the
 * last one) in the run directory: {@code checkpoint-epoch-K.zip} (the averaged parameters and the updater state, in
 * DL4J's format), with {@code --block-momentum} {@code checkpoint-epoch-K-engine.bin} (the driver's last step), when
 * the best epoch J is kept aside {@code checkpoint-best-epoch-J.bin} (its parameters, then its updater state), and
 * then {@code checkpoint.json}, which names those files, the epoch, the best epoch, why training ended if it did, the
 * settings, the data digests and code versions, and the metrics so far. Each {@code .bin} file is a sequence of
 * arrays, each a count and then that many big-endian floats. The JSON is written last and atomically, so it always
 * points at complete files. No random-number state needs saving: every order is derived from the seed and the epoch
 * number, so epoch K+1 shuffles the same way whether or not the run was interrupted before it; the patience of early
 * stopping is derived from the metrics.
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
 * @param bestEpoch the best epoch by the validation metric, 0 when none is tracked
 * @param bestWeightsFile the file of that epoch's weights, or null when none is tracked
 * @param stopReason why training ended after {@code epoch}, or null when it goes on
 * @param keptEpochs the epochs whose model files are kept, oldest first, {@code epoch} last
 */
public record Checkpoint(int epoch, String modelFile, String engineStateFile, JsonNode settings,
                         JsonNode provenance, List<EpochMetrics> metrics, int bestEpoch, String bestWeightsFile,
                         StopReason stopReason, List<Integer> keptEpochs) {
    /** The pointer file, written last. */
    public static final String POINTER = "checkpoint.json";
    /** Every file name a checkpoint consists of; nothing else is deleted or opened as one. */
    public static final Pattern FILES = Pattern.compile(
            "checkpoint\\.json|checkpoint-epoch-[0-9]+(\\.zip|-engine\\.bin)|checkpoint-best-epoch-[0-9]+\\.bin");
    private static final Pattern MODEL_FILE = Pattern.compile("checkpoint-epoch-[0-9]+\\.zip");
    private static final Pattern STATE_FILE = Pattern.compile("checkpoint-epoch-[0-9]+-engine\\.bin");
    private static final Pattern BEST_FILE = Pattern.compile("checkpoint-best-epoch-[0-9]+\\.bin");

    /**
     * Saves the state after {@code state}'s last epoch, then removes the model files of epochs no longer kept and
     * a best epoch's weights that a better one replaced.
     *
     * @param outputs the run directory
     * @param previous the checkpoint this run saved or resumed from last, or null for none
     * @param model the averaged model, with its updater state
     * @param engineState what the engine carries to the next epoch besides the model (may be empty)
     * @param settings the run's settings
     * @param provenance the run's data digests and code versions
     * @param state the metrics so far, the best epoch and its weights, and whether training ends here
     * @param keep how many of the latest epochs' model files to keep, at least 1
     * @return the checkpoint saved
     */
    public static Checkpoint save(RunDirectory outputs, Checkpoint previous, MultiLayerNetwork model,
                                  float[] engineState, TrainingConfig settings, Provenance provenance,
                                  LoopState state, int keep) {
        int epoch = state.epoch();
        String modelFile = modelFile(epoch);
        outputs.writeAtomically(modelFile, stream -> ModelSerializer.writeModel(model, stream, true));
        String stateFile = null;
        if (engineState.length > 0) {
            stateFile = stateFile(epoch);
            outputs.writeAtomically(stateFile, stream -> writeFloats(stream, engineState));
        }
        String bestFile = previous == null ? null : previous.bestWeightsFile();
        String replacedBest = null;
        if (state.bestWeights() != null && (bestFile == null || previous.bestEpoch() != state.bestEpoch())) {
            replacedBest = bestFile;
            bestFile = String.format("checkpoint-best-epoch-%d.bin", state.bestEpoch());
            ParameterSnapshot best = state.bestWeights();
            outputs.writeAtomically(bestFile, stream -> writeFloats(stream, best.parameters(), best.updaterState()));
        }
        List<Integer> kept = new ArrayList<>(previous == null ? List.of() : previous.keptEpochs());
        kept.remove(Integer.valueOf(epoch));
        kept.add(epoch);
        List<Integer> dropped = new ArrayList<>(kept.subList(0, Math.max(0, kept.size() - keep)));
        kept.removeAll(dropped);
        Checkpoint saved = new Checkpoint(epoch, modelFile, stateFile, Json.mapper().valueToTree(settings),
                Json.mapper().valueToTree(provenance), List.copyOf(state.metrics()),
                bestFile == null ? 0 : state.bestEpoch(), bestFile, state.stop().orElse(null), List.copyOf(kept));
        outputs.writeText(POINTER, Json.write(saved));
        for (int old : dropped) {
            outputs.delete(modelFile(old));
            outputs.delete(stateFile(old));
        }
        if (replacedBest != null) {
            outputs.delete(replacedBest);
        }
        return saved;
    }

    private static String modelFile(int epoch) {
        return String.format("checkpoint-epoch-%d.zip", epoch);
    }

    private static String stateFile(int epoch) {
        return String.format("checkpoint-epoch-%d-engine.bin", epoch);
    }

    private static void writeFloats(OutputStream stream, float[]... arrays) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        for (float[] values : arrays) {
            out.writeInt(values.length);
            for (float value : values) {
                out.writeFloat(value);
            }
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
            int epoch = json.get("epoch").asInt();
            String bestFile = optionalText(json, "best_weights_file");
            String reason = optionalText(json, "stop_reason");
            List<Integer> kept = json.hasNonNull("kept_epochs")
                    ? Json.mapper().convertValue(json.get("kept_epochs"), new TypeReference<List<Integer>>() { })
                    : List.of(epoch); // written before more than one was kept
            return new Checkpoint(epoch, ownName(json.get("model_file").asText(), MODEL_FILE),
                    ownNameOrNull(optionalText(json, "engine_state_file"), STATE_FILE),
                    json.get("settings"), json.get("provenance"),
                    Json.mapper().convertValue(json.get("metrics"), new TypeReference<List<EpochMetrics>>() { }),
                    bestFile == null ? 0 : json.get("best_epoch").asInt(), ownNameOrNull(bestFile, BEST_FILE),
                    reason == null ? null : Json.mapper().convertValue(reason, StopReason.class), kept);
        } catch (IOException | RuntimeException e) {
            throw new OutputException(new Path(outputs.path(), POINTER) + ": unreadable checkpoint (" + e.getMessage()
                    + "); pass --no-resume to start the run again", e);
        }
    }

    private static String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String ownNameOrNull(String name, Pattern expected) throws IOException {
        return name == null ? null : ownName(name, expected);
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
        return engineStateFile == null ? new float[0] : readFloats(outputs, engineStateFile, 1).get(0);
    }

    /**
     * @param outputs the run directory holding the checkpoint
     * @return the run so far as the epoch loop continues it: the metrics, the best epoch and its weights, and
     *     why training ended when it did
     */
    public LoopState loopState(RunDirectory outputs) {
        ParameterSnapshot best = null;
        if (bestWeightsFile != null) {
            List<float[]> arrays = readFloats(outputs, bestWeightsFile, 2);
            best = new ParameterSnapshot(arrays.get(0), arrays.get(1));
        }
        return LoopState.resumed(metrics, bestEpoch, best, stopReason);
    }

    /** Reads {@code count} arrays written by {@link #writeFloats}. */
    private static List<float[]> readFloats(RunDirectory outputs, String name, int count) {
        Path file = outputs.file(name);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(outputs.fileSystem().open(file)))) {
            long remaining = outputs.fileSystem().getFileStatus(file).getLen();
            List<float[]> arrays = new ArrayList<>();
            for (int a = 0; a < count; a++) {
                int length = in.readInt();
                // the count comes from a file anyone may have written: it must fit in the bytes left before it
                // decides an allocation, or a few bytes could ask for gigabytes
                long bytes = Integer.BYTES + (long) length * Float.BYTES;
                boolean last = a == count - 1;
                if (length < 0 || bytes > remaining || last && bytes != remaining) {
                    throw new IOException("its header promises " + length + " floats (" + bytes + " bytes), the"
                            + " file holds " + remaining + (a == 0 ? "" : " more") + " bytes");
                }
                remaining -= bytes;
                float[] values = new float[length];
                for (int i = 0; i < length; i++) {
                    values[i] = in.readFloat();
                }
                arrays.add(values);
            }
            return arrays;
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
