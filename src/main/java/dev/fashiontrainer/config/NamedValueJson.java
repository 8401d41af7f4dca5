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
 * Writes a setting whose named value is {@code auto} ({@link Setting#named()}) as the flag takes it, so that
 * {@code run.json}, checkpoints and saved models say {@code "auto"} rather than the number that stands for it (-1 in
 * a whole number, NaN in a number), and reads it back the same way.
 */
final class NamedValueJson {
    private NamedValueJson() {
    }

    /** The stand-in for {@code auto} as {@code "auto"}, any other value as its number. */
    static final class Writer extends StdSerializer<Number> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(Number.class);
        }

        @Override
        public void serialize(Number value, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (value instanceof Integer i && i == TrainingConfig.AUTO_AVERAGING
                    || value instanceof Double d && d.isNaN()) {
                json.writeString(TrainingConfig.Builder.AUTO);
            } else if (value instanceof Integer i && i == TrainingConfig.HALF_WORKERS_AVERAGING) {
                json.writeString(TrainingConfig.Builder.HALF_WORKERS);
            } else if (value instanceof Integer i) {
                json.writeNumber(i);
            } else {
                json.writeNumber(value.doubleValue());
            }
        }
    }

    /** A whole number, or {@code "auto"} as -1 and {@code "half-workers"} as -2. */
    static final class IntReader extends StdDeserializer<Integer> {
        private static final long serialVersionUID = 1L;

        IntReader() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING
                    && TrainingConfig.Builder.HALF_WORKERS.equals(json.getText())) {
                return TrainingConfig.HALF_WORKERS_AVERAGING;
            }
            return isAuto(json, context) ? TrainingConfig.AUTO_AVERAGING : json.getIntValue();
        }
    }

    /** A number, or {@code "auto"} as NaN. */
    static final class DoubleReader extends StdDeserializer<Double> {
        private static final long serialVersionUID = 1L;

        DoubleReader() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser json, DeserializationContext context) throws IOException {
            return isAuto(json, context) ? Double.NaN : json.getDoubleValue();
        }
    }

    private static boolean isAuto(JsonParser json, DeserializationContext context) throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            return false;
        }
        if (!TrainingConfig.Builder.AUTO.equals(json.getText())) {
            throw context.weirdStringException(json.getText(), Number.class, "expected a number or auto");
        }
        return true;
    }
}
