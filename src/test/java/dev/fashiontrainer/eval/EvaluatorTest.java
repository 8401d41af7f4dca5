package dev.fashiontrainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.model.NetworkFactory;

/** The evaluator's own forward pass must give DL4J's predictions and per-example losses. */
class EvaluatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"cross-entropy", "mse"})
    void agreesWithDl4jsPredictionsAndLosses(String loss) {
        var commandLine = FashionTrainer.commandLine(null);
        commandLine.parseArgs("--loss", loss, "--seed", "29", "--init", "he");
        TrainingConfig config = ((TrainCommand) commandLine.getCommand()).trainingConfig();
        MultiLayerNetwork network = NetworkFactory.create(config);
        // 2,500 images: two full chunks and a short one
        LabeledImages test = TestData.fashionMnist().test().head(2500);
        float[] x = new float[test.size() * LabeledImages.PIXELS];
        float[] y = new float[test.size() * LabeledImages.CLASSES];
        test.fill(null, 0, test.size(), x, y);
        INDArray features = Nd4j.create(x, new long[] {test.size(), LabeledImages.PIXELS}, 'c');
        INDArray labels = Nd4j.create(y, new long[] {test.size(), LabeledImages.CLASSES}, 'c');
        int[] predicted = network.predict(features);
        double[] losses = network.scoreExamples(new DataSet(features, labels), false).toDoubleVector();

        EvaluationResult expected = EvaluationResult.empty(10);
        for (int i = 0; i < test.size(); i++) {
            expected.add(test.label(i), predicted[i], losses[i]);
        }
        EvaluationResult actual = Evaluator.evaluate(network, test);
        assertEquals(expected.examples(), actual.examples());
        assertEquals(expected.correct(), actual.correct());
        assertEquals(expected.averageLoss(), actual.averageLoss(), 1e-5 * expected.averageLoss());
    }
}
