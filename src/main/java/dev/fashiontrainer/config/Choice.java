package dev.fashiontrainer.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum whose constants are spelled on the command line in lower case with dashes
 * ({@code CROSS_ENTROPY} is {@code cross-entropy}).
 */
public interface Choice {
    /** @return the constant's name as the enum declares it */
    String name();

    /** @return the spelling users type (also how the value appears in {@code run.json}) */
    @JsonValue
    default String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param type the enum
     * @param text what the user typed
     * @return the matching constant
     * @throws ConfigException listing the accepted spellings when nothing matches
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.cliName().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        throw new ConfigException("expected one of " + spellings(type) + ", found '" + text + "'");
    }

    /** @return the accepted spellings, comma-separated */
    static <E extends Enum<E> & Choice> String spellings(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::cliName).collect(Collectors.joining(", "));
    }
}
