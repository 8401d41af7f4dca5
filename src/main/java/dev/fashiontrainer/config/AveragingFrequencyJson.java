package dev.fashiontrainer.config;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes {@link TrainingConfig#averagingFrequency()} as the flag takes it, so that {@code run.json} and checkpoints
 * say {@code "auto"} rather than the sentinel that stands for it.
 */
final class AveragingFrequencyJson extends StdSerializer<Integer> {
    private static final long serialVersionUID = 1L;

    AveragingFrequencyJson() {
        super(Integer.class);
    }

    @Override
    public void serialize(Integer value, JsonGenerator json, SerializerProvider provider) throws IOException {
        if (value == TrainingConfig.AUTO_AVERAGING) {
            json.writeString("auto");
        } else {
            json.writeNumber(value);
        }
    }
}
