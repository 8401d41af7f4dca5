package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.report.Json;

/**
 * The command line trains from labelled feature vectors of any width and class count: Parquet with a features
 * column, LibSVM text, IDX images of another size; convert writes them back as Parquet that trains the same; bad
 * input is one error line before training.
 */
class FeatureInputTest {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");
    private static final int WIDTH = 40;

    @TempDir
    Path work;

    /**
     * Three classes of 40 standardized features: a class's centre plus unit noise, the centres drawn with standard
     * deviation 0.5 per feature.
     */
    private static List<double[]> examples(int count, long seed, List<Integer> labels) {
        Random centres = new Random(7);
        double[][] centre = new double[3][WIDTH];
        for (double[] c : centre) {
            for (int p = 0; p < WIDTH; p++) {
                c[p] = centres.nextGaussian() * 0.5;
            }
        }
        Random random = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = i % 3;
            double[] features = new double[WIDTH];
            for (int p = 0; p < WIDTH; p++) {
                features[p] = centre[label][p] + random.nextGaussian();
            }
            rows.add(features);
            labels.add(label);
        }
        return rows;
    }

    private static SparkSession spark() {
        return SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
    }

    /** Writes {@code rows} as Parquet: features vectors, label doubles with {@code labelMetadata}. */
    private static void writeParquet(Path path, List<double[]> rows, List<Integer> labels, Metadata labelMetadata) {
        writeParquet(path, rows, labels, labelMetadata, false);
    }

    /**
     * Writes {@code rows} as one Parquet file (which keeps their order: Spark reads several files largest first):
     * features as vectors or arrays of doubles, label doubles with {@code labelMetadata}.
     */
    private static void writeParquet(Path path, List<double[]> rows, List<Integer> labels, Metadata labelMetadata,
                                     boolean arrays) {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object features = arrays ? Arrays.stream(rows.get(i)).boxed().toArray() : Vectors.dense(rows.get(i));
            data.add(RowFactory.create(features, (double) labels.get(i)));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", arrays ? DataTypes.createArrayType(DataTypes.DoubleType)
                    : SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, labelMetadata)});
        spark().createDataFrame(data, schema).coalesce(1).write().parquet(path.toString());
    }

    private static Metadata named(List<String> names) {
        return NominalAttribute.defaultAttr().withName("label").withValues(names.toArray(String[]::new))
                .toMetadata();
    }

    /** A data directory of 600 training and 150 test examples of three named classes. */
    private Path namedVectors(String name, boolean arrays) {
        Path dir = work.resolve(name);
        List<Integer> trainLabels = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        writeParquet(dir.resolve(DataDirectory.TRAIN_PARQUET), examples(600, 1, trainLabels), trainLabels,
                named(NAMES), arrays);
        writeParquet(dir.resolve(DataDirectory.TEST_PARQUET), examples(150, 2, testLabels), testLabels,
                named(NAMES), arrays);
        return dir;
    }

    private static CommandRun train(Path data, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        for (String setting : List.of("--data=" + data, "--output=" + output, "--epochs=4", "--hidden-layers=16",
                "--optimizer=adam", "--learning-rate=0.01", "--batch-size=32", "--workers=2", "--progress=off")) {
            String flag = setting.substring(0, setting.indexOf('='));
            if (args.stream().noneMatch(arg -> arg.startsWith(flag + "="))) {
                args.add(setting);
            }
        }
        return CommandRun.of(args);
    }

    private static JsonNode json(Path run, String file) throws IOException {
        return Json.mapper().readTree(run.resolve(file).toFile());
    }

    private static void assertLearned(Path run, List<String> names, double accuracy) throws IOException {
        JsonNode evaluation = json(run, TrainingRun.EVALUATION_FILE);
        List<String> found = new ArrayList<>();
        evaluation.get("classes").forEach(c -> found.add(c.get("name").asText()));
        assertEquals(names, found);
        assertEquals(names.size(), evaluation.get("confusion_matrix").size());
        evaluation.get("confusion_matrix").forEach(row -> assertEquals(names.size(), row.size()));
        assertTrue(evaluation.get("accuracy").asDouble() >= accuracy, evaluation.toString());
        String report = Files.readString(run.resolve(TrainingRun.REPORT_FILE));
        names.forEach(name -> assertTrue(report.contains(">" + name + "<"), name + " in report.html"));
    }

    @Test
    void parquetFeatureVectorsTrainWithTheirClassNames() throws IOException {
        Path run = work.resolve("run");
        Path vectors = namedVectors("vectors", false);
        CommandRun trained = train(vectors, run);
        assertEquals(ExitCodes.OK, trained.code(), trained.stderr());
        assertLearned(run, NAMES, 0.9); // chance: 33%
        assertTrue(trained.stdout().contains("  gamma "), trained.stdout());
        List<String> predictions = Files.readAllLines(run.resolve(TrainingRun.PREDICTIONS_FILE));
        assertEquals(151, predictions.size());
        assertTrue(predictions.get(150).startsWith("test.parquet,149,2,"), predictions.get(150));
        assertTrue(json(run, TrainingRun.MANIFEST_FILE).get("network").get("layers").toString()
                .equals("[40,16,3]"));
        assertPredictAndEvaluateReadTheTestSetAsTrainingDid(run, vectors, predictions);

        // the same examples as arrays of numbers instead of vectors: the same run, bit for bit
        Path again = work.resolve("run-arrays");
        CommandRun fromArrays = train(namedVectors("arrays", true), again);
        assertEquals(ExitCodes.OK, fromArrays.code(), fromArrays.stderr());
        assertEquals(json(run, TrainingRun.METRICS_FILE).get(3).get("test_loss").asDouble(),
                json(again, TrainingRun.METRICS_FILE).get(3).get("test_loss").asDouble());
        assertLearned(again, NAMES, 0.9);
    }

    /**
     * {@code predict --data} and {@code evaluate --data} on the run's data directory: the rows of the run's own
     * {@code predictions.csv} (class names from its run.json) and the run's final accuracy.
     */
    private static void assertPredictAndEvaluateReadTheTestSetAsTrainingDid(Path run, Path data,
                                                                           List<String> predictions, String... more)
            throws IOException {
        String model = "--model=" + run.resolve(TrainingRun.MODEL_FILE);
        List<String> predict = new ArrayList<>(List.of("predict", model, "--data=" + data));
        predict.addAll(List.of(more));
        CommandRun predicted = CommandRun.of(predict);
        assertEquals(ExitCodes.OK, predicted.code(), predicted.stderr());
        assertEquals(predictions, predicted.stdout().lines().toList());

        List<String> evaluate = new ArrayList<>(List.of("evaluate", model, "--data=" + data));
        evaluate.addAll(List.of(more));
        CommandRun evaluated = CommandRun.of(evaluate);
        assertEquals(ExitCodes.OK, evaluated.code(), evaluated.stderr());
        double accuracy = json(run, TrainingRun.EVALUATION_FILE).get("accuracy").asDouble();
        long correct = Math.round(accuracy * (predictions.size() - 1));
        assertTrue(evaluated.stdout().contains("Correct: " + correct + " of " + (predictions.size() - 1)),
                evaluated.stdout());
        String firstName = json(run, TrainingRun.EVALUATION_FILE).get("classes").get(0).get("name").asText();
        assertTrue(evaluated.stdout().contains(firstName), evaluated.stdout());
    }

    /** Labels -1 and +1, features from index 1; the test file reaches feature 40, the training file only 39. */
    private Path libSvm(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        for (String file : new String[] {LibSvmFiles.TRAIN, LibSvmFiles.TEST}) {
            List<Integer> labels = new ArrayList<>();
            List<double[]> rows = examples(file.equals(LibSvmFiles.TRAIN) ? 600 : 150, file.length(), labels);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                text.append(labels.get(i) == 0 ? "-1" : "+1");
                int last = file.equals(LibSvmFiles.TRAIN) ? WIDTH - 1 : WIDTH;
                for (int p = 0; p < last; p++) {
                    text.append(String.format(Locale.ROOT, " %d:%.6f", p + 1, rows.get(i)[p]));
                }
                text.append('\n');
            }
            Files.writeString(dir.resolve(file), text);
        }
        return dir;
    }

    @Test
    void libSvmFilesTrainWithTheirSortedLabelsAsClassesAndConvertToTheSameRun() throws IOException {
        Path data = libSvm("libsvm");
        Path run = work.resolve("run-libsvm");
        CommandRun trained = train(data, run);
        assertEquals(ExitCodes.OK, trained.code(), trained.stderr());
        assertLearned(run, List.of("-1", "1"), 0.75); // class "1" holds two of the three centres

        Path converted = work.resolve("converted");
        CommandRun convert = CommandRun.of(List.of("convert", "--data=" + data, "--output=" + converted));
        assertEquals(ExitCodes.OK, convert.code(), convert.stderr());
        Path again = work.resolve("run-converted");
        CommandRun retrained = train(converted, again);
        assertEquals(ExitCodes.OK, retrained.code(), retrained.stderr());
        assertLearned(again, List.of("-1", "1"), 0.75);
        JsonNode first = json(run, TrainingRun.METRICS_FILE);
        JsonNode second = json(again, TrainingRun.METRICS_FILE);
        for (int e = 0; e < first.size(); e++) {
            assertEquals(first.get(e).get("train_loss").asDouble(), second.get(e).get("train_loss").asDouble(),
                    "epoch " + (e + 1));
            assertEquals(first.get(e).get("test_loss").asDouble(), second.get(e).get("test_loss").asDouble(),
                    "epoch " + (e + 1));
        }
    }

    /** IDX bytes of {@code count} 6x5 images: class c lights row c (0-2) brightly, the rest dimly at random. */
    private static byte[][] smallImages(int count, long seed) {
        Random random = new Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + count * 30);
        images.putInt(IdxFile.IMAGES_MAGIC).putInt(count).putInt(6).putInt(5);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(IdxFile.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            int label = i % 3;
            for (int p = 0; p < 30; p++) {
                images.put((byte) (p / 5 == label ? 200 + random.nextInt(56) : random.nextInt(120)));
            }
            labels.put((byte) label);
        }
        return new byte[][] {images.array(), labels.array()};
    }

    @Test
    void idxImagesOfAnySizeTrainAndTakeClassNamesFromTheCommandLine() throws IOException {
        Path dir = Files.createDirectories(work.resolve("idx"));
        byte[][] train = smallImages(600, 1);
        byte[][] test = smallImages(150, 2);
        IdxFixtures.write(dir, FashionMnistFile.TRAIN_IMAGES.baseName(), train[0]);
        IdxFixtures.write(dir, FashionMnistFile.TRAIN_LABELS.baseName(), train[1]);
        IdxFixtures.write(dir, FashionMnistFile.TEST_IMAGES.baseName(), test[0]);
        IdxFixtures.write(dir, FashionMnistFile.TEST_LABELS.baseName(), test[1]);
        Path run = work.resolve("run-idx");
        CommandRun trained = train(dir, run, "--no-verify", "--class-names=top,middle,bottom");
        assertEquals(ExitCodes.OK, trained.code(), trained.stderr());
        assertLearned(run, List.of("top", "middle", "bottom"), 0.9);
        assertTrue(json(run, TrainingRun.MANIFEST_FILE).get("network").get("layers").toString()
                .equals("[30,16,3]"));
        List<String> predictions = Files.readAllLines(run.resolve(TrainingRun.PREDICTIONS_FILE));
        assertPredictAndEvaluateReadTheTestSetAsTrainingDid(run, dir, predictions, "--no-verify");
        CommandRun fromIdxFile = CommandRun.of(List.of("predict", "--model=" + run.resolve(TrainingRun.MODEL_FILE),
                "--images=" + dir.resolve(FashionMnistFile.TEST_IMAGES.baseName()),
                "--labels=" + dir.resolve(FashionMnistFile.TEST_LABELS.baseName())));
        assertEquals(ExitCodes.OK, fromIdxFile.code(), fromIdxFile.stderr());
        assertEquals(predictions, fromIdxFile.stdout().lines().toList(), "6x5 IDX images through --images");

        Path converted = work.resolve("idx-converted");
        CommandRun convert = CommandRun.of(List.of("convert", "--data=" + dir, "--no-verify",
                "--class-names=top,middle,bottom", "--output=" + converted));
        assertEquals(ExitCodes.OK, convert.code(), convert.stderr());
        StructField label = spark().read().parquet(converted.resolve(DataDirectory.TEST_PARQUET).toString())
                .schema().apply("label");
        assertEquals(List.of("top", "middle", "bottom"),
                List.of(((NominalAttribute) org.apache.spark.ml.attribute.Attribute.fromStructField(label)).values()
                        .get()));
    }

    private static void assertRefused(CommandRun run, Path runDirectory, String line) {
        assertEquals(ExitCodes.DATA, run.code(), run.stderr());
        assertEquals("error: " + line, run.errorLine());
        assertEquals(1, run.stderr().lines().filter(l -> l.startsWith("error:")).count(), run.stderr());
        assertFalse(Files.exists(runDirectory.resolve(TrainingRun.MODEL_FILE)));
    }

    @Test
    void badVectorsAreOneLineBeforeTraining() throws IOException {
        List<Integer> labels = new ArrayList<>(List.of(0, 1, 2, 1));
        List<double[]> rows = new ArrayList<>(List.of(new double[] {1, 2}, new double[] {3, 4},
                new double[] {5, Double.NaN}, new double[] {7, 8}));
        Path nonFinite = work.resolve("non-finite");
        writeParquet(nonFinite.resolve(DataDirectory.TRAIN_PARQUET), rows, labels, Metadata.empty());
        writeParquet(nonFinite.resolve(DataDirectory.TEST_PARQUET), rows.subList(0, 2), labels, Metadata.empty());
        Path nonFiniteRun = work.resolve("bad-run-nonFinite");
        assertRefused(train(nonFinite, nonFiniteRun, "--batch-size=2"), nonFiniteRun,
                nonFinite.resolve(DataDirectory.TRAIN_PARQUET)
                        + ": example 2, column features: expected finite numbers, found NaN at index 1");

        rows.set(2, new double[] {5, 6, 7});
        Path widths = work.resolve("widths");
        writeParquet(widths.resolve(DataDirectory.TRAIN_PARQUET), rows, labels, Metadata.empty());
        writeParquet(widths.resolve(DataDirectory.TEST_PARQUET), rows.subList(0, 2), labels, Metadata.empty());
        CommandRun twoWidths = train(widths, work.resolve("bad-run-widths"), "--batch-size=2");
        assertEquals(ExitCodes.DATA, twoWidths.code(), twoWidths.stderr());
        assertTrue(twoWidths.errorLine().contains("expected vectors of one width"), twoWidths.errorLine());

        rows.set(2, new double[] {5, 6});
        Path beyond = work.resolve("beyond");
        List<Integer> tooLarge = List.of(0, 1, 3, 1);
        writeParquet(beyond.resolve(DataDirectory.TRAIN_PARQUET), rows, tooLarge, named(NAMES));
        writeParquet(beyond.resolve(DataDirectory.TEST_PARQUET), rows.subList(0, 2), tooLarge, named(NAMES));
        CommandRun beyondClasses = train(beyond, work.resolve("bad-run-beyond"), "--batch-size=2");
        assertEquals(ExitCodes.DATA, beyondClasses.code(), beyondClasses.stderr());
        assertTrue(beyondClasses.errorLine().endsWith(": expected labels 0-2 (the 3 classes the training set's"
                + " label metadata declares), found label 3"), beyondClasses.errorLine());

        Path plain = work.resolve("plain");
        writeParquet(plain.resolve(DataDirectory.TRAIN_PARQUET), rows, labels, Metadata.empty());
        writeParquet(plain.resolve(DataDirectory.TEST_PARQUET), rows.subList(0, 2), labels, Metadata.empty());
        CommandRun names = train(plain, work.resolve("bad-run-plain"), "--batch-size=2", "--class-names=a,b");
        assertEquals(ExitCodes.DATA, names.code(), names.stderr());
        assertTrue(names.errorLine().startsWith("error: --class-names names 2 classes, but the data hold 3"
                + " (labels 0-2 in "), names.errorLine());

        CommandRun shifted = train(plain, work.resolve("bad-run-shifted"), "--batch-size=2", "--shift-pixels=1");
        assertEquals(ExitCodes.USAGE, shifted.code(), shifted.stderr());
        assertEquals("error: --shift-pixels and --flip: shifts and flips move the pixels of square 8-bit images;"
                + " these are real-valued features", shifted.errorLine());

        Path unknownLabel = libSvm("unknown-label");
        Files.writeString(unknownLabel.resolve(LibSvmFiles.TEST), "7 1:0.5\n", java.nio.file.StandardOpenOption.APPEND);
        CommandRun unknown = train(unknownLabel, work.resolve("bad-run-unknownLabel"));
        assertEquals(ExitCodes.DATA, unknown.code(), unknown.stderr());
        assertTrue(unknown.errorLine().endsWith("test.libsvm: label 7 is not among the training file's labels"
                + " (-1, 1)"), unknown.errorLine());

        Path mixed = work.resolve("mixed");
        writeParquet(mixed.resolve(DataDirectory.TRAIN_PARQUET), rows, labels, Metadata.empty());
        writeParquet(mixed.resolve(DataDirectory.TEST_PARQUET), List.of(new double[] {1, 2, 3}), labels,
                Metadata.empty());
        CommandRun testWidth = train(mixed, work.resolve("bad-run-mixed"), "--batch-size=2");
        assertEquals(ExitCodes.DATA, testWidth.code(), testWidth.stderr());
        assertTrue(testWidth.errorLine().endsWith("test.parquet: expected examples of 2 features, as in the"
                + " training set " + mixed.resolve(DataDirectory.TRAIN_PARQUET) + ", found 3"), testWidth.errorLine());
    }
}
