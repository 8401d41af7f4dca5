package dev.fashiontrainer.model;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;

/**
 * Builds the network of the settings' {@link NetworkShape} as a DL4J {@link MultiLayerNetwork}, with the loss and
 * optimizer the configuration names. The default is the seed's, {@code nn.Linear(784, 512), ReLU,
 * nn.Linear(512, 512), ReLU, nn.Linear(512, 10)}.
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /**
     * @param config the run's settings (loss, optimizer, learning rate, seed, initialization)
     * @return an initialized network whose parameters follow {@code config.init()}
     */
    public static MultiLayerNetwork create(TrainingConfig config) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(config));
        network.init();
        initializeParameters(network, config);
        return network;
    }

    /**
     * @param config the run's settings
     * @return the layer configuration alone (DL4J's engine needs it to build its workers)
     */
    public static MultiLayerConfiguration configuration(TrainingConfig config) {
        NetworkShape shape = NetworkShape.of(config);
        List<Integer> widths = shape.layers();
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(config, config.learningRateAt(1)))
                .weightInit(WeightInit.ZERO) // replaced by initializeParameters, which every engine shares
                .list();
        int last = shape.denseLayers() - 1;
        for (int l = 0; l < last; l++) {
            layers.layer(new DenseLayer.Builder().nIn(widths.get(l)).nOut(widths.get(l + 1))
                    .activation(activation(shape.activation())).build());
        }
        boolean regression = config.task() == TaskKind.REGRESSION;
        return layers.layer(new OutputLayer.Builder(regression ? LossFunction.MSE : lossFunction(config))
                        .nIn(widths.get(last)).nOut(widths.get(last + 1))
                        .activation(regression ? Activation.IDENTITY : Activation.SOFTMAX).build())
                .build();
    }

    /** @return DL4J's function for a hidden layer's nonlinearity */
    public static Activation activation(HiddenActivation activation) {
        return switch (activation) {
            case RELU -> Activation.RELU;
            case SIGMOID -> Activation.SIGMOID;
            case TANH -> Activation.TANH;
        };
    }

    private static LossFunction lossFunction(TrainingConfig config) {
        // Softmax + DL4J's MCXENT is exactly nn.CrossEntropyLoss on logits, and exactly nn.NLLLoss after
        // nn.LogSoftmax: both are -log p(true class). MSE compares probabilities with the one-hot label.
        return switch (config.loss()) {
            case CROSS_ENTROPY -> LossFunction.MCXENT;
            case NLL -> LossFunction.NEGATIVELOGLIKELIHOOD;
            case MSE -> LossFunction.MSE;
        };
    }

    /**
     * @param config the run's settings
     * @param learningRate the rate to start with
     * @return the DL4J updater for {@code config.optimizer()}
     */
    public static IUpdater updater(TrainingConfig config, double learningRate) {
        return switch (config.optimizer()) {
            case SGD -> new Sgd(learningRate);
            case NESTEROV -> new Nesterovs(learningRate, config.momentum());
            case ADAM -> new Adam(learningRate);
        };
    }

    /**
     * Overwrites every weight and bias as {@code config.init()} says, from a generator seeded with
     * {@code config.seed()}, so that both engines and every JVM start from the same numbers.
     */
    static void initializeParameters(MultiLayerNetwork network, TrainingConfig config) {
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Integer> widths = NetworkShape.of(config).layers();
        for (int layer = 0; layer < widths.size() - 1; layer++) {
            int fanIn = widths.get(layer);
            int fanOut = widths.get(layer + 1);
            INDArray weights = network.getLayer(layer).getParam("W");
            INDArray biases = network.getLayer(layer).getParam("b");
            float[] w = new float[fanIn * fanOut];
            float[] b = new float[fanOut];
            switch (config.init()) {
                case PYTORCH -> {
                    double bound = 1 / Math.sqrt(fanIn);
                    fillUniform(w, bound, random);
                    fillUniform(b, bound, random);
                }
                case HE -> fillGaussian(w, Math.sqrt(2.0 / fanIn), random);
                case XAVIER -> fillGaussian(w, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            }
            // w is row-major [fanIn][fanOut]; assign through a matching view so DL4J's ordering does not matter.
            weights.assign(Nd4j.create(w, new long[] {fanIn, fanOut}, 'c'));
            biases.assign(Nd4j.create(b, new long[] {1, fanOut}, 'c'));
        }
    }

    private static void fillUniform(float[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
    }

    private static void fillGaussian(float[] values, double std, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * gaussian(random));
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default, and this one
        // is stable across JDK versions.
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
