package dev.fashiontrainer.config;

/** Which implementation runs the local SGD and the averaging. */
public enum EngineKind implements Choice {
    /** Our loop on Spark primitives: cached compact shards, local SGD per partition, tree-aggregated average. */
    SPARK,
    /**
     * DL4J Spark's {@code ParameterAveragingTrainingMaster} in Direct mode: the reference implementation. DL4J's Spark
     * module exists for Scala 2.12 only, so only the Spark 3.5 build has it (src/dl4j-spark/java).
     */
    DL4J;

    /** The class that runs DL4J's engine, compiled into the Spark 3.5 build only. */
    public static final String DL4J_ENGINE_CLASS = "dev.fashiontrainer.train.Dl4jEngine";

    /** @return whether this build can run the engine */
    public boolean available() {
        if (this == SPARK) {
            return true;
        }
        try {
            Class.forName(DL4J_ENGINE_CLASS, false, EngineKind.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @throws ConfigException naming the build that has the engine, when this one does not
     */
    public void requireAvailable() {
        if (!available()) {
            String scalaLine = scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1");
            throw new ConfigException("--engine dl4j needs DL4J's Spark module, which exists for Scala 2.12 only, and"
                    + " this build is for Scala " + scalaLine + ": use the Spark 3.5 build (fashion-trainer-job.jar, built"
                    + " without -Dspark.line=4) or --engine spark");
        }
    }
}
