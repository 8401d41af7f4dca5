/**
 * Runnable examples of using the trainer from Spark code; {@code submit/local.sh} runs one with
 * {@code TRAINER_MAIN} set to its class.
 */
package dev.fashiontrainer.examples;
