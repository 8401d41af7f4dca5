package dev.fashiontrainer.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.model.ModelException;
import dev.fashiontrainer.model.SavedModel;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.report.Json;
import scala.Option;

/**
 * A trained model's directory, as both models write and read it through Hadoop's file systems: MLlib's metadata
 * (the params), {@code data/model.zip} (the DL4J model the command line also writes, readable with
 * {@code ModelSerializer} or the trainer's {@code evaluate} and {@code predict}) and {@code data/training.json}
 * (the format's version, the settings, the per-epoch metrics and what the model's kind adds, such as class names).
 */
final class ModelFiles {
    /**
     * The layout of {@code data/}, written into {@code training.json}: 1 since settings with named values
     * ({@code "auto"}) are read back and the class names are kept; a model without it was saved before (format 0,
     * Fashion-MNIST's classifier only). Raise it when the layout changes, and teach {@link #load} the older ones.
     */
    static final int FORMAT_VERSION = 1;
    private static final String MODEL_FILE = "data/model.zip";
    private static final String TRAINING_FILE = "data/training.json";

    /**
     * What a model's directory held.
     *
     * @param metadata MLlib's metadata, with the params
     * @param network the DL4J model
     * @param format the layout's version
     * @param training {@code training.json}
     */
    record Loaded(DefaultParamsReader.Metadata metadata, MultiLayerNetwork network, int format, JsonNode training) {
        /**
         * @return the settings the model was trained with; a setting added since it was saved takes its recipe's
         *     default (a format 0 model has no layers, activation or task: the seed's ReLU classifier)
         */
        TrainingConfig settings() {
            JsonNode saved = training.get("settings");
            TrainingConfig recipe = TrainingConfig.defaults(saved.path("recipe").asText(null)).build();
            ObjectNode merged = Json.mapper().valueToTree(recipe);
            merged.setAll((ObjectNode) saved);
            return Json.mapper().convertValue(merged, TrainingConfig.class);
        }

        /** @return the per-epoch metrics of its training */
        DistributedMlpTrainingSummary summary() {
            List<EpochMetrics> epochs = Json.mapper().convertValue(training.get("epochs"),
                    new TypeReference<List<EpochMetrics>>() { });
            // saved before training could stop early: every epoch ran and the last is the model
            StopReason reason = training.hasNonNull("stop_reason")
                    ? Json.mapper().convertValue(training.get("stop_reason"), StopReason.class) : StopReason.EPOCHS_DONE;
            return new DistributedMlpTrainingSummary(epochs, reason, training.path("kept_epoch").asInt(epochs.size()));
        }

        /** @return the network with its settings and training metrics */
        TrainedNetwork trained() {
            return new TrainedNetwork(settings(), network, summary());
        }

        /** @return the model with the saved params set */
        <T extends Params> T withParams(T model) {
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }

    private ModelFiles() {
    }

    /**
     * @param stage the model, whose params MLlib's metadata records
     * @param path the model's directory (any Hadoop location)
     * @param spark the application's context
     * @param network the DL4J model
     * @param settings the settings it was trained with
     * @param summary its training's per-epoch metrics
     * @param extra what the model's kind adds to {@code training.json}
     */
    static void save(Params stage, String path, SparkContext spark, MultiLayerNetwork network, TrainingConfig settings,
                     DistributedMlpTrainingSummary summary, Map<String, Object> extra) {
        DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, spark, Option.empty(), Option.empty());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("format_version", FORMAT_VERSION);
        training.put("settings", settings);
        training.put("epochs", summary.epochs());
        training.put("stop_reason", summary.stopReason());
        training.put("kept_epoch", summary.keptEpoch());
        training.putAll(extra);
        try {
            FileSystem fs = new Path(path).getFileSystem(spark.hadoopConfiguration());
            try (OutputStream out = fs.create(new Path(path, MODEL_FILE))) {
                ModelSerializer.writeModel(network, out, true);
            }
            try (OutputStream out = fs.create(new Path(path, TRAINING_FILE))) {
                out.write(Json.write(training).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ModelException("cannot write the model to " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param path the model's directory
     * @param spark the application's context
     * @param className the model's class, as MLlib's metadata must name it
     * @return what the directory holds
     * @throws ModelException when a file is missing or unreadable, or the layout is newer than this trainer's
     */
    static Loaded load(String path, SparkContext spark, String className) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, className);
        Configuration hadoop = spark.hadoopConfiguration();
        MultiLayerNetwork network = SavedModel.load(new Path(path, MODEL_FILE), hadoop);
        Path trainingFile = new Path(path, TRAINING_FILE);
        JsonNode training;
        try (InputStream in = trainingFile.getFileSystem(hadoop).open(trainingFile)) {
            training = Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new ModelException("cannot read " + trainingFile + ": " + e.getMessage() + "; expected the directory"
                    + " a model of this trainer was saved to", e);
        }
        int format = training.path("format_version").asInt(0);
        if (format > FORMAT_VERSION) {
            throw new ModelException(path + " was saved by a newer trainer (model format " + format + "); this one"
                    + " reads formats up to " + FORMAT_VERSION + ": load it with that trainer's version");
        }
        return new Loaded(metadata, network, format, training);
    }
}
