package dev.fashiontrainer.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * The defaults of every flag, from {@code conf/trainer.properties} (packaged into the jar), with a recipe's
 * values from {@code conf/recipes/NAME.properties} laid over them. Keys are flag names without the dashes.
 */
public final class Defaults {
    /** Recipe used when none is named. */
    public static final String DEFAULT_RECIPE = "seed";
    /** The recipes in {@code conf/recipes/}. */
    public static final List<String> RECIPES = List.of("seed", "fast");

    private final Properties values;

    private Defaults(Properties values) {
        this.values = values;
    }

    /**
     * @param recipe recipe name, or null for {@link #DEFAULT_RECIPE}
     * @return the defaults with that recipe applied
     * @throws ConfigException when the recipe does not exist
     */
    public static Defaults load(String recipe) {
        String name = recipe == null ? DEFAULT_RECIPE : recipe;
        Properties values = load("/trainer.properties", true);
        Properties preset = load("/recipes/" + name + ".properties", false);
        if (preset == null) {
            throw new ConfigException("--recipe must be " + String.join(" or ", RECIPES) + ", found '" + name + "'");
        }
        values.putAll(preset);
        values.setProperty("recipe", name);
        return new Defaults(values);
    }

    private static Properties load(String resource, boolean required) {
        try (InputStream in = Defaults.class.getResourceAsStream(resource)) {
            if (in == null) {
                if (required) {
                    throw new IllegalStateException(resource + " is missing from the classpath; the jar is"
                            + " incomplete (rebuild with mvn package)");
                }
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /**
     * @param key flag name without dashes
     * @return its default, or null when there is none
     */
    public String get(String key) {
        return values.getProperty(key);
    }
}
