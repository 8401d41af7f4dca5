package dev.fashiontrainer.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.InputImages;
import dev.fashiontrainer.export.OnnxInput;
import dev.fashiontrainer.report.Json;

/**
 * The body of {@code POST /predict}, checked against the model: {@code {"instances": [[v, ...], ...]}} (one vector of
 * the model's width per example: raw 0-255 pixels for an image model, features as trained otherwise) or, for a
 * model of square 8-bit images, {@code {"images": ["<base64 PNG>", ...]}}.
 *
 * @param features the examples' values, example after example, as the graph's {@code features} input takes them
 * @param rows the number of examples
 */
record PredictRequest(float[] features, int rows) {
    /** Key of the feature vectors. */
    static final String INSTANCES = "instances";
    /** Key of the base64 PNGs. */
    static final String IMAGES = "images";
    /**
     * The most values one request may hold (64 MB as float32): a short PNG can stand for many pixels, so the body's
     * size alone does not bound what a batch of images takes once decoded.
     */
    static final long MAX_VALUES = 1L << 24;

    /**
     * @param body the request's bytes
     * @param input what the model takes
     * @param width the model's input width
     * @return the examples
     * @throws BadRequest (400) saying what is wrong with the body
     */
    static PredictRequest parse(byte[] body, OnnxInput input, int width) throws BadRequest {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw bad("the body is not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject() || root.size() != 1
                || !(root.has(INSTANCES) || root.has(IMAGES))) {
            throw bad("expected a JSON object with one key, \"" + INSTANCES + "\" (an array of vectors of " + width
                    + " numbers) or \"" + IMAGES + "\" (an array of base64 PNGs)");
        }
        JsonNode batch = root.has(INSTANCES) ? root.get(INSTANCES) : root.get(IMAGES);
        if (!batch.isArray() || batch.isEmpty()) {
            throw bad("\"" + root.fieldNames().next() + "\" must be a non-empty array");
        }
        if (root.has(INSTANCES)) { // before anything is allocated for them: then the body's size bounds the batch
            int row = 0;
            for (JsonNode vector : batch) {
                if (!vector.isArray() || vector.size() != width) {
                    throw bad("instance " + row + ": expected an array of " + width + " numbers (the model's input"
                            + " width), found "
                            + (vector.isArray() ? "one of " + vector.size() : vector.getNodeType()));
                }
                row++;
            }
        }
        if ((long) batch.size() * width > MAX_VALUES) {
            throw new BadRequest(413, batch.size() + " examples of " + width + " values are over the limit of "
                    + MAX_VALUES + " values per request; send smaller batches");
        }
        float[] features = new float[batch.size() * width];
        if (root.has(INSTANCES)) {
            readVectors(batch, input, width, features);
        } else {
            readImages(batch, input, width, features);
        }
        return new PredictRequest(features, batch.size());
    }

    private static void readVectors(JsonNode batch, OnnxInput input, int width, float[] features) throws BadRequest {
        int row = 0;
        for (JsonNode vector : batch) {
            Iterator<JsonNode> values = vector.elements();
            for (int p = 0; p < width; p++) {
                JsonNode value = values.next();
                float v = (float) value.asDouble();
                if (!value.isNumber() || !Float.isFinite(v)) {
                    throw bad("instance " + row + ", value " + p + ": expected a finite number, found " + value);
                }
                if (input == OnnxInput.PIXELS && (v < 0 || v > 255)) {
                    throw bad("instance " + row + ", value " + p + ": this model takes raw pixel values 0-255 (it"
                            + " scales them itself), found " + value);
                }
                features[row * width + p] = v;
            }
            row++;
        }
    }

    private static void readImages(JsonNode batch, OnnxInput input, int width, float[] features) throws BadRequest {
        int side = (int) Math.round(Math.sqrt(width));
        if (input != OnnxInput.PIXELS || side * side != width) {
            throw bad("this model takes " + width + " features, not images; send \"" + INSTANCES + "\"");
        }
        int row = 0;
        for (JsonNode image : batch) {
            if (!image.isTextual()) {
                throw bad("image " + row + ": expected a base64 string, found " + image.getNodeType());
            }
            byte[] png;
            try {
                png = Base64.getDecoder().decode(image.asText());
            } catch (IllegalArgumentException e) {
                throw bad("image " + row + ": not base64 (" + e.getMessage() + ")");
            }
            byte[] pixels;
            try {
                pixels = InputImages.grayPixels(new ByteArrayInputStream(png), "image " + row, side);
            } catch (DataException e) {
                throw bad(e.getMessage());
            }
            for (int p = 0; p < width; p++) {
                features[row * width + p] = pixels[p] & 0xFF;
            }
            row++;
        }
    }

    private static BadRequest bad(String message) {
        return new BadRequest(400, message);
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
