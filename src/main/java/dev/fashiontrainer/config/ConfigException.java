package dev.fashiontrainer.config;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TrainerException;

/**
 * A flag or configuration value is invalid. The message names the flag, what was expected and what was found.
 */
public final class ConfigException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the flag, what was expected and what was found */
    public ConfigException(String message) {
        super(ExitCodes.USAGE, message, null);
    }
}
