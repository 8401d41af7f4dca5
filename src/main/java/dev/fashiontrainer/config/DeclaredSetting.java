package dev.fashiontrainer.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A setting as its {@link Setting} annotation and its {@link TrainingConfig} component declare it, with everything
 * derived from them: its flag and {@code conf/} key, how text becomes a value, and the checks of a value. The
 * command line's options, the estimator's params, the defaults' parsing and {@link TrainingConfig.Builder} all read
 * {@link #ALL}, so a new setting is one annotated component and one line in {@code conf/trainer.properties}.
 */
public final class DeclaredSetting {
    /** Every setting, in the order of {@link TrainingConfig}'s components. */
    public static final List<DeclaredSetting> ALL = declared();
    private static final Map<String, DeclaredSetting> BY_NAME = ALL.stream()
            .collect(Collectors.toMap(DeclaredSetting::name, s -> s, (a, b) -> a, LinkedHashMap::new));

    private final RecordComponent component;
    private final Setting declaration;

    private DeclaredSetting(RecordComponent component) {
        this.component = component;
        this.declaration = component.getAnnotation(Setting.class);
        if (declaration == null) {
            throw new IllegalStateException(TrainingConfig.class.getSimpleName() + "." + component.getName()
                    + " has no @Setting");
        }
    }

    private static List<DeclaredSetting> declared() {
        return Arrays.stream(TrainingConfig.class.getRecordComponents()).map(DeclaredSetting::new).toList();
    }

    /**
     * @param name a component's name, such as {@code batchSize}
     * @return its setting
     * @throws IllegalArgumentException when there is none of that name
     */
    public static DeclaredSetting named(String name) {
        DeclaredSetting setting = BY_NAME.get(name);
        if (setting == null) {
            throw new IllegalArgumentException("no setting is named " + name + "; the settings are "
                    + BY_NAME.keySet());
        }
        return setting;
    }

    /** @return the component's name, also the estimator's param name: {@code batchSize} */
    public String name() {
        return component.getName();
    }

    /** @return the key of {@code conf/trainer.properties}, also the flag without dashes: {@code batch-size} */
    public String key() {
        return name().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** @return the command line's flag: {@code --batch-size} */
    public String flag() {
        return "--" + key();
    }

    /** @return what the setting means */
    public String doc() {
        return declaration.doc();
    }

    /** @return the value's placeholder in {@code --help} */
    public String label() {
        return declaration.label().isEmpty() ? "VALUE" : declaration.label();
    }

    /** @return the words accepted besides the type's values, comma-separated, or empty */
    public String namedValue() {
        return declaration.named();
    }

    /** @return whether the command line has a flag for it */
    public boolean isFlag() {
        return declaration.flag();
    }

    /** @return whether the estimator has a param for it */
    public boolean isParam() {
        return declaration.param();
    }

    /**
     * @return the component's type: a primitive, a {@link Choice} enum, {@code String}, {@code List} or
     *     {@code Duration}
     */
    public Class<?> type() {
        return component.getType();
    }

    /** @return whether the values are lists of whole numbers */
    public boolean isList() {
        return List.class.equals(type());
    }

    /** @return the bounds as they read in a message: {@code in [0, 1)}, {@code at least 1} */
    public String range() {
        boolean low = declaration.min() != Double.NEGATIVE_INFINITY;
        boolean high = declaration.max() != Double.POSITIVE_INFINITY;
        if (low && high) {
            return "in " + (declaration.minExclusive() ? "(" : "[") + plain(declaration.min()) + ", "
                    + plain(declaration.max()) + (declaration.maxExclusive() ? ")" : "]");
        }
        if (low) {
            return declaration.minExclusive() ? "above " + plain(declaration.min()) : "at least " + plain(declaration.min());
        }
        return high ? "at most " + plain(declaration.max()) : "any number";
    }

    /**
     * @param config settings
     * @return this setting's value in them
     */
    public Object valueIn(TrainingConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + name(), e);
        }
    }

    /**
     * @param text the value as a flag or {@code conf/} spells it
     * @return the value, checked
     * @throws ConfigException naming the flag, what was expected and what was found
     */
    public Object parse(String text) {
        String trimmed = text.trim();
        List<String> names = names();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(trimmed)) {
                return check(namedSentinel(i));
            }
        }
        if (type() == int.class || type() == long.class || type() == double.class) {
            Object number;
            try {
                number = type() == int.class ? (Object) Integer.parseInt(trimmed)
                        : type() == long.class ? (Object) Long.parseLong(trimmed) : (Object) Double.parseDouble(trimmed);
            } catch (NumberFormatException e) {
                number = null;
            }
            // the named value is spelled out, never given as the number that stands for it
            if (number == null || isNamedSentinel(number) || number instanceof Double d && d.isNaN()) {
                throw new ConfigException(flag() + " must be " + expected() + ", found '" + text + "'");
            }
            return check(number);
        }
        if (type() == boolean.class) {
            if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
                throw new ConfigException(flag() + " must be true or false, found '" + text + "'");
            }
            return Boolean.parseBoolean(trimmed);
        }
        if (isList()) {
            List<Integer> widths = new ArrayList<>();
            for (String part : trimmed.split(",")) {
                try {
                    widths.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new ConfigException(flag() + " must be " + expected() + ", found '" + text + "'");
                }
            }
            return check(widths);
        }
        if (type().isEnum()) {
            return choice(trimmed);
        }
        if (type() == Duration.class) {
            try {
                return check(DurationText.parse(trimmed));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(flag() + " must be " + expected() + ", found '" + text + "'");
            }
        }
        return check(trimmed);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object choice(String text) {
        try {
            return Choice.parse((Class) type(), text);
        } catch (ConfigException e) {
            throw new ConfigException(flag() + ": " + e.getMessage());
        }
    }

    /**
     * @param value a value of the component's type (or its boxed form), or its spelling
     * @return the value, checked
     * @throws ConfigException naming the flag, what was expected and what was found
     */
    public Object check(Object value) {
        if (value == null) {
            throw new ConfigException(flag() + " has no value; give one or restore its line in"
                    + " conf/trainer.properties");
        }
        if (value instanceof String text && type() != String.class) {
            return parse(text);
        }
        if (value instanceof Number number && !isNamedSentinel(value)) {
            double v = number.doubleValue();
            boolean tooLow = declaration.minExclusive() ? !(v > declaration.min()) : !(v >= declaration.min());
            boolean tooHigh = declaration.maxExclusive() ? !(v < declaration.max()) : !(v <= declaration.max());
            if (tooLow || tooHigh || Double.isInfinite(v)) {
                throw new ConfigException(flag() + " must be " + expected() + ", found " + plain(v));
            }
        }
        if (value instanceof Duration duration && (duration.isNegative()
                || duration.isZero() && !isNamedSentinel(duration))) {
            throw new ConfigException(flag() + " must be " + expected() + ", found " + duration);
        }
        if (value instanceof List<?> list) {
            for (Object width : list) {
                if (!(width instanceof Integer w) || w < 1) {
                    throw new ConfigException(flag() + " takes positive whole widths, found " + list);
                }
            }
            return List.copyOf(list);
        }
        return value;
    }

    /** @return what a value must be, for messages */
    public String expected() {
        String named = names().isEmpty() ? "" : " or " + String.join(" or ", names());
        if (isList()) {
            return "comma-separated positive whole numbers such as 784,512,512,10" + named;
        }
        if (type() == Duration.class) {
            return "a duration such as 90s, 20m or 1h30m" + named;
        }
        if (type() == int.class || type() == long.class) {
            return "a whole number " + range() + named;
        }
        return "a number " + range() + named;
    }

    // The named values, in their declared order: a whole number may have several (-1, -2, ...), others one.
    private List<String> names() {
        return namedValue().isEmpty() ? List.of() : List.of(namedValue().split(","));
    }

    private Object namedSentinel(int index) {
        if (type() == int.class) {
            return -1 - index;
        }
        if (type() == double.class) {
            return Double.NaN;
        }
        if (type() == Duration.class) {
            return Duration.ZERO;
        }
        return List.of();
    }

    private int namedIndex(Object value) {
        List<String> names = names();
        for (int i = 0; i < names.size(); i++) {
            if (namedSentinel(i).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private boolean isNamedSentinel(Object value) {
        return namedIndex(value) >= 0;
    }

    /** @return how the value is spelled on the command line and in {@code conf/} */
    public String format(Object value) {
        if (isNamedSentinel(value)) {
            return names().get(namedIndex(value));
        }
        if (value instanceof Choice choice) {
            return choice.cliName();
        }
        if (value instanceof Duration duration) {
            return DurationText.format(duration);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    /**
     * @param values one checked value per setting, by name
     * @return the record holding them
     */
    static TrainingConfig construct(Map<String, Object> values) {
        Object[] arguments = new Object[ALL.size()];
        Class<?>[] types = new Class<?>[ALL.size()];
        for (int i = 0; i < ALL.size(); i++) {
            DeclaredSetting setting = ALL.get(i);
            arguments[i] = setting.check(values.get(setting.name()));
            types[i] = setting.type();
        }
        try {
            Constructor<TrainingConfig> canonical = TrainingConfig.class.getDeclaredConstructor(types);
            return canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("cannot build the settings", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the settings", e);
        }
    }
}
