package dev.fashiontrainer.ml;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

import dev.fashiontrainer.config.Defaults;
import dev.fashiontrainer.config.TrainingConfig;

/**
 * The params both estimators share, owned by the estimator that creates them: the recipe, one param per training
 * setting ({@link SettingParams}), MLlib's {@code tol} and {@code initialWeights}, and the validation rows' column.
 * It registers the recipe's values as the settings' defaults and turns the params into the settings fit uses.
 */
public final class TrainerParams implements Serializable {
    private static final long serialVersionUID = 1L;

    final Param<String> recipe;
    final SettingParams settings;
    final DoubleParam tol;
    final Param<Vector> initialWeights;
    final Param<String> validationIndicatorCol;

    /** @param stage the estimator that owns the params */
    TrainerParams(Params stage) {
        recipe = new Param<>(stage, "recipe", "preset the unset params come from: "
                + String.join(" or ", Defaults.RECIPES) + " (default: " + Defaults.DEFAULT_RECIPE + ")",
                ParamValidators.inArray(Defaults.RECIPES.toArray(String[]::new)));
        settings = new SettingParams(stage);
        tol = new DoubleParam(stage, "tol", "stop when an epoch lowers the training loss by less than this fraction"
                + " of it, as MLlib's tol (default: 0, every epoch runs)", ParamValidators.gtEq(0));
        initialWeights = new Param<>(stage, "initialWeights", "the weights to start from, in MLlib's layout (see"
                + " the model's weights()), instead of the initialization");
        validationIndicatorCol = new Param<>(stage, "validationIndicatorCol", "name of a boolean column; rows where"
                + " it is true are held out and evaluated after every epoch (default: none)");
        stage.setDefault(recipe, Defaults.DEFAULT_RECIPE);
        stage.setDefault(tol, 0.0);
    }

    /**
     * @param reflected the params MLlib found on the stage's public methods
     * @return those and every setting's param (which have no method each), by name
     */
    Param<?>[] withSettings(Param<?>[] reflected) {
        Map<String, Param<?>> byName = new TreeMap<>();
        for (Param<?> param : reflected) {
            byName.put(param.name(), param);
        }
        for (Param<?> param : settings.all()) {
            byName.putIfAbsent(param.name(), param);
        }
        return byName.values().toArray(Param<?>[]::new);
    }

    /**
     * Registers the recipe's values as the settings' defaults, so that {@code getOrDefault} and
     * {@code explainParams} show what fit will use; to call whenever the recipe may have changed.
     */
    void registerRecipeDefaults(Params stage) {
        TrainingConfig recipeValues = TrainingConfig.defaults(stage.getOrDefault(recipe)).build();
        for (Param<?> param : settings.all()) {
            setDefault(stage, param, SettingParams.paramValueIn(param, recipeValues)); // blockMomentum's auto: NaN
        }
    }

    /** @return MLlib's reader of an estimator's params, then the recipe's values registered as their defaults */
    static <T extends MlpParams<T>> MLReader<T> reader() {
        return new DefaultParamsReader<>() {
            @Override
            public T load(String path) {
                T loaded = super.load(path);
                loaded.trainerParams().registerRecipeDefaults(loaded);
                return loaded;
            }
        };
    }

    /** @return MLlib's copy of an estimator, then the recipe's values (which {@code extra} may name) as defaults */
    static <T extends MlpParams<T>> T copy(T stage, ParamMap extra) {
        T copy = stage.defaultCopy(extra);
        copy.trainerParams().registerRecipeDefaults(copy);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setDefault(Params stage, Param<T> param, Object value) {
        stage.setDefault(param, (T) value);
    }

    /**
     * @return the settings fit will train with: the recipe's, overridden by every setting's param that was set
     * @throws dev.fashiontrainer.config.ConfigException when two settings cannot be combined
     */
    TrainingConfig trainingConfig(Params stage) {
        TrainingConfig.Builder builder = TrainingConfig.defaults(stage.getOrDefault(recipe));
        for (Param<?> param : settings.all()) {
            if (stage.isSet(param)) {
                builder.with(param.name(), SettingParams.settingValue(stage.getOrDefault(param)));
            }
        }
        return builder.build();
    }
}
