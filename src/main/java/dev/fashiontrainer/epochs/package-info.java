/**
 * The epoch loop that the command line and both estimators share: train an epoch on the engine, evaluate the
 * validation and test examples, record the epoch's metrics, keep the best epoch's weights, and decide whether to go
 * on (epochs done, early stopping, MLlib's {@code tol}, a time budget). What happens around an epoch (checkpoints,
 * the console) is the caller's, through {@link dev.fashiontrainer.epochs.EpochListener}. Every decision is derived
 * from the metrics recorded so far, so a run resumed from a checkpoint's metrics decides as the uninterrupted run did.
 */
package dev.fashiontrainer.epochs;
