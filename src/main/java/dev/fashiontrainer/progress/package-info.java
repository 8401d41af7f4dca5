/**
 * Live progress of running training tasks: a Spark accumulator the workers fill minibatch by minibatch, whose
 * values the executors' heartbeats bring to the driver while the tasks run, and the listener that turns them into
 * news of the epoch for the console.
 */
package dev.fashiontrainer.progress;
