package dev.fashiontrainer.config;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Durations as people and schedulers write them: {@code 90s}, {@code 20m}, {@code 1h30m}, {@code 1.5h}, or a bare
 * number of seconds. The same text is written to {@code run.json} and read back, so a saved setting reads as it
 * was typed.
 */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([hms])");
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?[hms])+|[0-9]+(?:\\.[0-9]+)?");

    private DurationText() {
    }

    /**
     * @param text such as {@code 20m}, {@code 1h30m} or {@code 45} (seconds)
     * @return the duration, rounded to the millisecond
     * @throws IllegalArgumentException when the text is not a duration
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("expected a duration such as 90s, 20m or 1h30m, found '" + text + "'");
        }
        if (!trimmed.endsWith("h") && !trimmed.endsWith("m") && !trimmed.endsWith("s")) {
            return millis(Double.parseDouble(trimmed));
        }
        double seconds = 0;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            double amount = Double.parseDouble(part.group(1));
            seconds += switch (part.group(2)) {
                case "h" -> amount * 3600;
                case "m" -> amount * 60;
                default -> amount;
            };
        }
        return millis(seconds);
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** @return the shortest of the forms {@link #parse} reads: {@code 20m}, {@code 1h30m}, {@code 2.5s} */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return (millis / 1000.0) + "s";
        }
        long seconds = millis / 1000;
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || text.length() == 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }

    /** Writes a duration setting as its text, {@code none} for no limit (zero). */
    static final class Writer extends StdSerializer<Duration> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(value.isZero() ? TrainingConfig.Builder.NONE : format(value));
        }
    }

    /** Reads what {@link Writer} wrote. */
    static final class Reader extends StdDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser json, DeserializationContext context) throws IOException {
            String text = json.getValueAsString();
            if (TrainingConfig.Builder.NONE.equals(text)) {
                return Duration.ZERO;
            }
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw context.weirdStringException(text, Duration.class, e.getMessage());
            }
        }
    }
}
