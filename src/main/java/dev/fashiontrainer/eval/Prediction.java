package dev.fashiontrainer.eval;

/**
 * What a model says about one image.
 *
 * @param predicted the most probable class, 0-9
 * @param probability the softmax probability of that class
 */
public record Prediction(int predicted, double probability) {
}
