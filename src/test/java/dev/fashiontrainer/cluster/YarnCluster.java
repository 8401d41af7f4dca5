package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import dev.fashiontrainer.TestData;

/**
 * HDFS and YARN on 127.0.0.1 for tests, started in the test JVM from Hadoop's own mini clusters
 * ({@code hadoop-client-minicluster}, the Hadoop of Spark 3.5) the way Spark's {@code YarnClusterSuite} does: one
 * NameNode and DataNode, one ResourceManager and NodeManager. The NodeManager starts every container (the
 * ApplicationMaster, the executors) as a JVM of its own from Spark's jars in {@code target/spark-home/jars}.
 * Fashion-MNIST is copied to {@link #DATA}; submitting processes get the Hadoop configuration through
 * {@code HADOOP_CONF_DIR}, as on a real gateway machine.
 */
public final class YarnCluster implements SparkEnvironment, AutoCloseable {
    /** Where the data set is on HDFS, as in docs/cluster.md's commands. */
    public static final String DATA = "/datasets/fashion-mnist";
    private static final Duration FINISH = Duration.ofMinutes(6);
    /** What the NodeManager offers: an ApplicationMaster with the driver and two 2g + 1g executors fit. */
    private static final int NODE_MEMORY_MB = 12288;

    private final SparkHome sparkHome;
    private final Path directory;
    private final Path hadoopConfDir;
    private MiniDFSCluster hdfs;
    private MiniYARNCluster yarn;
    private YarnClient client;

    private YarnCluster(SparkHome sparkHome, Path directory) {
        this.sparkHome = sparkHome;
        this.directory = directory;
        this.hadoopConfDir = directory.resolve("hadoop-conf");
    }

    /**
     * Starts HDFS and YARN and copies Fashion-MNIST to {@link #DATA}.
     *
     * @param name a directory name under the build's cluster directory for this cluster's files and logs
     * @return the running cluster
     */
    public static YarnCluster start(String name) {
        YarnCluster cluster = new YarnCluster(SparkHome.ofBuild(),
                Path.of(StandaloneCluster.required("cluster.workDirectory"), name));
        try {
            StandaloneCluster.deleteRecursively(cluster.directory);
            Files.createDirectories(cluster.hadoopConfDir);
            cluster.startHdfs();
            cluster.startYarn();
            cluster.copyData();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, directory.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).nameNodePort(0).build();
        hdfs.waitActive();
    }

    private void startYarn() throws IOException {
        YarnConfiguration conf = new YarnConfiguration(hdfs.getConfiguration(0));
        conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
        // MiniYARNCluster gives its NodeManager this setting's value (4 GB unless set), not NM_PMEM_MB.
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, NODE_MEMORY_MB);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, NODE_MEMORY_MB);
        // Java reserves far more virtual memory than it uses; real clusters switch this check off too.
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A full test disk must not make the NodeManager unhealthy and the tests hang (as in Spark's suite).
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, "default", may use the whole node,
        // and the ApplicationMaster (the driver, in cluster mode) may take half of it.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);

        // Its own files, the containers' logs among them, go to target/<name>/ (a path MiniYARNCluster fixes).
        yarn = new MiniYARNCluster(directory.getFileName().toString(), 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        // start() may return before the ResourceManager has put its real port into the configuration.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager did not report its port within 30 s");
            }
            StandaloneCluster.sleep(Duration.ofMillis(100));
        }
        // What a gateway machine's core-site.xml and yarn-site.xml say: where HDFS and the ResourceManager are (the
        // whole configuration would also carry the mini clusters' test-only classes).
        Configuration clientConf = new Configuration(false);
        for (String key : List.of("fs.defaultFS", YarnConfiguration.RM_HOSTNAME, YarnConfiguration.RM_ADDRESS,
                YarnConfiguration.RM_SCHEDULER_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS)) {
            clientConf.set(key, yarn.getConfig().get(key));
        }
        try (OutputStream out = Files.newOutputStream(hadoopConfDir.resolve("core-site.xml"))) {
            clientConf.writeXml(out);
        }
        Files.copy(hadoopConfDir.resolve("core-site.xml"), hadoopConfDir.resolve("yarn-site.xml"));
        client = YarnClient.createYarnClient();
        client.init(yarn.getConfig());
        client.start();
    }

    private void copyData() throws IOException {
        FileSystem fs = fileSystem();
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(DATA);
        fs.mkdirs(target);
        try (var files = Files.list(Path.of(TestData.directory()))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-ubyte.gz")).toList()) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()), target);
            }
        }
    }

    /** @return the HDFS client */
    public FileSystem fileSystem() throws IOException {
        return hdfs.getFileSystem();
    }

    /** @return where this cluster's files and logs are */
    public Path directory() {
        return directory;
    }

    /**
     * What a site sets once for its Spark client, passed to spark-submit's JVM as {@code -D} options (bin/spark-submit
     * and submit/cluster.sh read them from {@code SPARK_SUBMIT_OPTS}): the containers take Spark's jars from the
     * node's disk instead of an upload of 300 MB per application, and every Spark JVM in them talks over 127.0.0.1.
     *
     * @return Java options for the submitting JVM
     */
    public List<String> submitOptions() {
        return List.of("-Dspark.yarn.jars=local:" + sparkHome.jars(),
                "-Dspark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "-Dspark.executorEnv.SPARK_LOCAL_IP=127.0.0.1");
    }

    /**
     * @param args spark-submit's arguments
     * @return the command bin/spark-submit would run on a gateway machine: Spark's jars and the Hadoop configuration
     *     on the classpath, {@link #submitOptions()}
     */
    public List<String> sparkSubmit(List<String> args) {
        return sparkHome.java(submitOptions(), hadoopConfDir + ":" + sparkHome.jars(),
                "org.apache.spark.deploy.SparkSubmit", args);
    }

    @Override
    public void environment(Map<String, String> environment) {
        sparkHome.environment(environment);
        environment.put("HADOOP_CONF_DIR", hadoopConfDir.toString());
        environment.put("SPARK_SUBMIT_OPTS", String.join(" ", submitOptions()));
    }

    /**
     * Waits until the application has finished, as the ResourceManager reports it.
     *
     * @param application the application's id (spark-submit logs it)
     * @return its report: final status, diagnostics, ...
     */
    public ApplicationReport awaitFinished(ApplicationId application) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                ApplicationReport report = client.getApplicationReport(application);
                if (EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                        .contains(report.getYarnApplicationState())) {
                    return report;
                }
                StandaloneCluster.sleep(Duration.ofMillis(500));
            }
        } catch (YarnException | IOException e) {
            throw new IllegalStateException("cannot ask the ResourceManager about " + application, e);
        }
        throw new IllegalStateException("application " + application + " did not finish within " + FINISH.toMinutes()
                + " minutes; container logs under target/" + directory.getFileName());
    }

    /** @return the attempts YARN made to run the application */
    public List<ApplicationAttemptReport> attempts(ApplicationReport application) {
        try {
            return client.getApplicationAttempts(application.getApplicationId());
        } catch (YarnException | IOException e) {
            throw new IllegalStateException("cannot ask the ResourceManager about " + application.getName(), e);
        }
    }

    /** Stops YARN (and with it every container) and HDFS. */
    @Override
    public void close() {
        if (client != null) {
            client.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }
}
