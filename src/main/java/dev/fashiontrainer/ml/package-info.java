/**
 * The trainer as an MLlib estimator: {@link dev.fashiontrainer.ml.DistributedMlpClassifier} fits a DataFrame with
 * the command line's engine and defaults, and its model transforms, saves and loads like any MLlib stage. The
 * DataFrame's rows reach the engine on the executors, through one small converter ({@code DataFrameInput}).
 */
package dev.fashiontrainer.ml;
