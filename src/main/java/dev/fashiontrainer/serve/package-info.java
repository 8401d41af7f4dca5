/**
 * A small scoring endpoint for an exported model ({@code serve}): {@code POST /predict} takes a JSON batch of feature
 * vectors or base64 PNGs and answers each example's class and probabilities, computed by ONNX Runtime from the
 * {@code model.onnx}; {@code GET /health} says it is up and which model it serves. Built on the JDK's own HTTP server.
 */
package dev.fashiontrainer.serve;
