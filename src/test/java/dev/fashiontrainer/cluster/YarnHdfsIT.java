package dev.fashiontrainer.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fashiontrainer.AirflowDag;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.rundir.RunDirectory;

/**
 * The trainer on YARN with its data and outputs on HDFS, both from Hadoop's mini clusters ({@link YarnCluster}):
 * the documented client-mode command (and the same command diverging), the Airflow DAG's submission in cluster
 * deploy mode, and the documented cluster-mode command with a bad flag. What YARN decided comes from the ResourceManager's client API.
 */
class YarnHdfsIT {
    private static final String CLIENT_MARKER = "<!-- yarn-client: YarnHdfsIT runs the next block -->";
    private static final String CLUSTER_MARKER = "<!-- yarn-cluster: YarnHdfsIT runs the next block -->";
    private static final Pattern APPLICATION_ID = Pattern.compile("application_\\d+_\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** This Spark line's job jar (the build passes it; target/fashion-trainer-job.jar on the default line). */
    private static final String JOB_JAR = System.getProperty("cluster.jobJar",
            SubmittedJob.projectRoot().resolve("target/fashion-trainer-job.jar").toString());
    private static final String PROPERTIES = SubmittedJob.projectRoot().resolve("conf/spark-defaults.conf").toString();
    /** The DAG's RUNS_ROOT and run id for the logical date dag_arguments.py renders. */
    private static final String DAG_RUN = "/fashion-trainer/runs/2026-11-25";

    private static YarnCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = YarnCluster.start("yarn");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void documentedClientModeCommandTrainsFromHdfsToHdfs() throws IOException {
        String command = DocumentedCommand.after(DocumentedCommand.CLUSTER_PAGE, CLIENT_MARKER);
        ApplicationReport application = finished(SubmittedJob.start(cluster, command,
                cluster.directory().resolve("client.log")), true);
        assertEquals(FinalApplicationStatus.SUCCEEDED, application.getFinalApplicationStatus(), application::toString);
        assertFinishedRun("/runs/fashion-yarn-client", 2);
    }

    @Test
    void aClientModeRunThatFailsIsReportedFailed() throws IOException {
        // Diverges in its first epoch (exit code 4), after the context has started: YARN must not say SUCCEEDED.
        String command = DocumentedCommand.after(DocumentedCommand.CLUSTER_PAGE, CLIENT_MARKER)
                + " --learning-rate 1e6 --output hdfs:///runs/fashion-yarn-client-diverged";
        ApplicationReport application = finished(SubmittedJob.start(cluster, command,
                cluster.directory().resolve("client-diverged.log")), false);
        assertEquals(FinalApplicationStatus.FAILED, application.getFinalApplicationStatus(), application::toString);
    }

    @Test
    void airflowDagsSubmissionSucceedsInClusterMode() throws IOException {
        JsonNode operator = AirflowDag.operator();
        Map<String, String> files = Map.of(
                operator.get("application").asText(), JOB_JAR,
                operator.get("properties_file").asText(), PROPERTIES);
        List<String> command = cluster.sparkSubmit(AirflowDag.smallerYarnClusterSubmission(operator, files));
        ApplicationReport application = finished(SubmittedJob.start(cluster, command,
                cluster.directory().resolve("dag.log")), true);
        assertEquals(FinalApplicationStatus.SUCCEEDED, application.getFinalApplicationStatus(), application::toString);
        assertEquals(1, cluster.attempts(application).size(), "YARN attempts: " + cluster.attempts(application));
        assertFinishedRun(DAG_RUN, 2);
    }

    @Test
    void documentedClusterModeCommandWithABadFlagFailsOnceWithTheTrainersError() throws IOException {
        // The documented command with one flag appended (the last occurrence of a flag wins).
        String command = DocumentedCommand.after(DocumentedCommand.CLUSTER_PAGE, CLUSTER_MARKER) + " --epochs 0";
        ApplicationReport application = finished(SubmittedJob.start(cluster, command,
                cluster.directory().resolve("bad-flag.log")), false);
        assertEquals(FinalApplicationStatus.FAILED, application.getFinalApplicationStatus(), application::toString);
        assertTrue(application.getDiagnostics().contains(
                "error: --epochs must be a whole number at least 1, found 0 (exit code 2)"), application.getDiagnostics());
        assertEquals(1, cluster.attempts(application).size(), "YARN attempts: " + cluster.attempts(application));
    }

    /**
     * @param job a running spark-submit
     * @param succeeds whether spark-submit itself must exit with 0 (in cluster mode it exits with 1 when the
     *     application failed)
     * @return the report of the application it submitted, once finished
     */
    private static ApplicationReport finished(SubmittedJob job, boolean succeeds) {
        try (job) {
            int code = job.exitCode();
            assertEquals(succeeds, code == 0, () -> "spark-submit exited with " + code + "; its log:\n" + job.log());
            return cluster.awaitFinished(applicationIdIn(job.log()));
        }
    }

    private static ApplicationId applicationIdIn(String log) {
        Matcher matcher = APPLICATION_ID.matcher(log);
        if (!matcher.find()) {
            throw new IllegalStateException("expected an application id in spark-submit's log:\n" + log);
        }
        return ApplicationId.fromString(matcher.group());
    }

    private static void assertFinishedRun(String runDirectory, int epochs) throws IOException {
        FileSystem hdfs = cluster.fileSystem();
        Path run = new Path(runDirectory);
        assertTrue(hdfs.exists(new Path(run, RunDirectory.SUCCESS)), "expected _SUCCESS in hdfs://" + run);
        assertTrue(hdfs.exists(new Path(run, TrainingRun.MODEL_FILE)), "expected model.zip in hdfs://" + run);
        List<Map<String, Object>> metrics;
        try (InputStream in = hdfs.open(new Path(run, TrainingRun.METRICS_FILE))) {
            metrics = JSON.readValue(in, new TypeReference<>() { });
        }
        assertEquals(epochs, metrics.size(), "epochs in metrics.json: " + metrics);
        assertTrue(((Number) metrics.get(epochs - 1).get("test_accuracy")).doubleValue() > 0.1,
                "expected better than chance: " + metrics);
    }
}
