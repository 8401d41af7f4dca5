package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.util.function.Function;

import dev.fashiontrainer.config.Choice;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.Defaults;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.config.HiddenActivation;
import dev.fashiontrainer.config.LocalStepKind;
import dev.fashiontrainer.config.LossKind;
import dev.fashiontrainer.config.OptimizerKind;
import dev.fashiontrainer.config.ProgressMode;
import dev.fashiontrainer.config.ScalingKind;
import dev.fashiontrainer.config.ScheduleKind;
import dev.fashiontrainer.config.WeightInitKind;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The application's entry point ({@code Main-Class} of the job jar): parses the flags over the defaults from
 * {@code conf/}, runs the command and turns failures into one line on standard error and an exit code.
 */
public final class FashionTrainer {
    private FashionTrainer() {
    }

    /**
     * Runs the command line and exits with its code; as the driver of a YARN cluster-mode application, returns or
     * throws instead (see {@link YarnDriver}).
     */
    public static void main(String[] args) {
        if (YarnDriver.insideApplicationMaster()) {
            YarnDriver.run(args); // YARN stops its ApplicationMaster itself, and reports how it ended
        } else {
            StopOnSignal.install();
            System.exit(run(args));
        }
    }

    /**
     * Runs the command line without exiting the JVM (tests call this).
     *
     * @return the exit code, see {@link ExitCodes}
     */
    public static int run(String... args) {
        CommandLine commandLine;
        try {
            commandLine = commandLine(recipeIn(args));
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return commandLine.execute(args);
    }

    /**
     * Builds the parser with the defaults of {@code recipe}; also used to check other tools' argument lists
     * (the Airflow DAG's) against the real parser.
     *
     * @param recipe recipe name, or null for the default one
     * @return a parser for the train command and its evaluate and predict subcommands
     */
    public static CommandLine commandLine(String recipe) {
        Defaults defaults = Defaults.load(recipe);
        CommandSpec train = CommandSpec.forAnnotatedObject(new TrainCommand());
        TrainCommand.addSettingOptions(train);
        CommandLine commandLine = new CommandLine(train)
                .setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec option
                        && option.longestName().startsWith("--") ? defaults.get(option.longestName().substring(2)) : null)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true); // the last occurrence wins, so wrappers can append overrides
        ErrorHandling.installOn(commandLine);
        register(commandLine, EngineKind.class);
        register(commandLine, HiddenActivation.class);
        register(commandLine, LocalStepKind.class);
        register(commandLine, WeightInitKind.class);
        register(commandLine, LossKind.class);
        register(commandLine, OptimizerKind.class);
        register(commandLine, ScheduleKind.class);
        register(commandLine, ScalingKind.class);
        register(commandLine, ProgressMode.class);
        return commandLine;
    }

    private static <E extends Enum<E> & Choice> void register(CommandLine commandLine, Class<E> type) {
        Function<String, E> parse = text -> Choice.parse(type, text);
        commandLine.registerConverter(type, text -> {
            try {
                return parse.apply(text);
            } catch (ConfigException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
    }

    /** Finds {@code --recipe NAME} or {@code --recipe=NAME} before parsing, since it decides the defaults. */
    public static String recipeIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--recipe") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--recipe=")) {
                return args[i].substring("--recipe=".length());
            }
        }
        return null;
    }
}
