package dev.fashiontrainer.config;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes {@link TrainingConfig#averagingFrequency()} as the flag takes it, so that {@code run.json}, checkpoints and
 * saved models say {@code "auto"} rather than the sentinel that stands for it, and reads it back the same way.
 */
final class AveragingFrequencyJson {
    private AveragingFrequencyJson() {
    }

    /** {@link TrainingConfig#AUTO_AVERAGING} as {@code "auto"}, any other value as its number. */
    static final class Writer extends StdSerializer<Integer> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(Integer.class);
        }

        @Override
        public void serialize(Integer value, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (value == TrainingConfig.AUTO_AVERAGING) {
                json.writeString(TrainingConfig.Builder.AUTO);
            } else {
                json.writeNumber(value);
            }
        }
    }

    /** What {@link Writer} wrote (a number, or {@code "auto"}), checked as the flag is. */
    static final class Reader extends StdDeserializer<Integer> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() != JsonToken.VALUE_STRING) {
                return json.getIntValue();
            }
            if (!TrainingConfig.Builder.AUTO.equals(json.getText())) {
                throw context.weirdStringException(json.getText(), Integer.class, "expected a number or auto");
            }
            return TrainingConfig.AUTO_AVERAGING;
        }
    }
}
