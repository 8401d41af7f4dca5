package dev.fashiontrainer.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.export.OnnxExport;
import dev.fashiontrainer.export.OnnxInput;
import dev.fashiontrainer.export.RunExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer export --model run/model.zip --format onnx --output model.onnx}: writes a saved model as
 * an ONNX file that ONNX Runtime runs (docs/serving.md). A finished run writes the same file as {@code model.onnx}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Exports a trained model as an ONNX file: input 'features' (float32, [batch, width]),"
                + " outputs 'logits' and 'probabilities' ([batch, classes]); 8-bit image models take raw 0-255"
                + " pixels and scale them in the graph. Layers, class names, run id and data digests go into the"
                + " file's metadata.", ""},
        footer = ExitCodes.HELP)
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "PATH", required = true,
            description = "A model.zip written by a training run (its run.json beside it says what the input is"
                    + " and names the classes), or the directory a DistributedMlpClassificationModel was saved to.")
    String model;

    @Option(names = "--format", paramLabel = "FORMAT", required = true,
            description = "The format to write: onnx.")
    String format;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "Where to write the file (any Hadoop location), whole or not at all.")
    String output;

    @Option(names = "--input", paramLabel = "KIND",
            description = "What the graph's input takes: pixels (raw 0-255 values, scaled in the graph) or features"
                    + " (values as trained on). Default: what the run.json beside the model says; pixels for a"
                    + " 784-...-10 model without one.")
    String input;

    @Option(names = "--class-names", paramLabel = "NAME,...", split = ",",
            description = "The classes' names, by label, to record instead of the run's.")
    List<String> classNames;

    @Override
    public Integer call() {
        if (!"onnx".equals(format)) {
            throw new ConfigException("--format " + format + ": the formats are onnx (model.zip is already DL4J's"
                    + " format)");
        }
        OnnxInput kind = input == null ? null : OnnxInput.ofLabel(input);
        if (input != null && kind == null) {
            throw new ConfigException("--input " + input + ": expected pixels or features");
        }
        Configuration hadoop = new Configuration();
        OnnxExport export = RunExport.forSavedModel(new Path(model), hadoop, kind, classNames);
        String sha256 = export.save(output, hadoop);
        System.err.printf("Exported %s to %s (ONNX opset %d, SHA-256 %s)%n", model, output, OnnxExport.OPSET,
                sha256);
        return ExitCodes.OK;
    }
}
