package dev.fashiontrainer.ml;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import dev.fashiontrainer.config.Choice;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.DeclaredSetting;
import dev.fashiontrainer.config.TrainingConfig;

import scala.runtime.AbstractFunction1;

/**
 * The estimator's params for the training settings, one per {@link DeclaredSetting} that has one, derived from its
 * declaration: the param's name is the setting's ({@code batchSize}), its doc the flag's description with the
 * recipes' defaults, its type the setting's (whole numbers, numbers, switches, lists as {@code int[]}, choices
 * and durations as their spellings), and its validator the setting's own check. So the command line and the
 * estimator accept the
 * same values, with the same meaning.
 */
final class SettingParams implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final TrainingConfig SEED = TrainingConfig.defaults("seed").build();
    private static final TrainingConfig FAST = TrainingConfig.defaults("fast").build();

    private final Map<String, Param<?>> params = new LinkedHashMap<>();

    /** @param parent the stage that owns the params */
    SettingParams(Params parent) {
        for (DeclaredSetting setting : DeclaredSetting.ALL) {
            if (setting.isParam()) {
                params.put(setting.name(), create(parent, setting));
            }
        }
    }

    /** @return the param of the setting of that name */
    Param<?> get(String name) {
        Param<?> param = params.get(name);
        if (param == null) {
            throw new IllegalArgumentException("the estimator has no param for the setting " + name);
        }
        return param;
    }

    /** @return every setting's param */
    Collection<Param<?>> all() {
        return params.values();
    }

    /**
     * @param param one of these params
     * @param config settings
     * @return the setting's value in {@code config}, as the param holds it
     */
    static Object paramValueIn(Param<?> param, TrainingConfig config) {
        DeclaredSetting setting = DeclaredSetting.named(param.name());
        Object value = setting.valueIn(config);
        if (value instanceof List<?> widths) {
            return widths.stream().mapToInt(w -> (Integer) w).toArray();
        }
        // choices and durations are text params, as the command line spells them (cross-entropy, 20m)
        return value instanceof Choice || value instanceof Duration ? setting.format(value) : value;
    }

    /** @return a param's value as the settings' builder takes it (a list for an {@code int[]}) */
    static Object settingValue(Object paramValue) {
        return paramValue instanceof int[] widths ? Arrays.stream(widths).boxed().toList() : paramValue;
    }

    private static Param<?> create(Params parent, DeclaredSetting setting) {
        String doc = setting.doc().replace("%%", "%") + defaults(setting);
        String name = setting.name();
        Class<?> type = setting.type();
        if (type == int.class) {
            return new IntParam(parent, name, doc, new Check<>(name));
        }
        if (type == long.class) {
            return new LongParam(parent, name, doc, new Check<>(name));
        }
        if (type == double.class) {
            return new DoubleParam(parent, name, doc, new Check<>(name));
        }
        if (type == boolean.class) {
            return new BooleanParam(parent, name, doc);
        }
        if (setting.isList()) {
            return new IntArrayParam(parent, name, doc, new Check<>(name));
        }
        return new Param<String>(parent, name, doc, new Check<>(name));
    }

    private static String defaults(DeclaredSetting setting) {
        String seed = setting.format(setting.valueIn(SEED));
        String fast = setting.format(setting.valueIn(FAST));
        return seed.equals(fast) ? " (default: " + seed + ")"
                : " (default: " + seed + " in the seed recipe, " + fast + " in the fast one)";
    }

    /** A param's validator: the setting's own check, so both sides refuse the same values. */
    private static final class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        Check(String name) {
            this.name = name;
        }

        @Override
        public Object apply(T value) {
            try {
                DeclaredSetting.named(name).check(settingValue(value));
                return true;
            } catch (ConfigException e) {
                return false;
            }
        }
    }
}
