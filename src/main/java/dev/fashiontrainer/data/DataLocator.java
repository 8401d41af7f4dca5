package dev.fashiontrainer.data;

import java.net.URI;
import java.io.PrintStream;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Decides where the Fashion-MNIST files are, in this order: the {@code --data} flag, the
 * {@code FASHION_MNIST_DIR} environment variable, {@code data/fashion-mnist/}, Debian's
 * {@code /usr/share/datasets/fashion-mnist/}, and otherwise a download into {@code data/fashion-mnist/}.
 */
public final class DataLocator {
    /** Environment variable naming a directory with the four files. */
    public static final String ENV_VARIABLE = "FASHION_MNIST_DIR";
    /** Project-local directory, searched and downloaded into. */
    public static final String LOCAL_DIRECTORY = "data/fashion-mnist";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final String DEBIAN_DIRECTORY = "/usr/share/datasets/fashion-mnist";

    private final Configuration hadoop;
    private final Map<String, String> environment;
    private final URI downloadBase;
    private final PrintStream progress;
    private final java.nio.file.Path localDirectory;
    private final java.nio.file.Path debianDirectory;

    /**
     * @param hadoop Hadoop configuration for the file systems
     * @param environment the process environment (a parameter so tests can set it)
     * @param downloadBase where to download from when no copy is found
     * @param progress where download progress goes
     */
    public DataLocator(Configuration hadoop, Map<String, String> environment, URI downloadBase, PrintStream progress) {
        this(hadoop, environment, downloadBase, progress, java.nio.file.Path.of(LOCAL_DIRECTORY),
                java.nio.file.Path.of(DEBIAN_DIRECTORY));
    }

    /** As above, with the two searched directories given (tests point them elsewhere). */
    DataLocator(Configuration hadoop, Map<String, String> environment, URI downloadBase, PrintStream progress,
                java.nio.file.Path localDirectory, java.nio.file.Path debianDirectory) {
        this.hadoop = hadoop;
        this.environment = environment;
        this.downloadBase = downloadBase;
        this.progress = progress;
        this.localDirectory = localDirectory.toAbsolutePath();
        this.debianDirectory = debianDirectory.toAbsolutePath();
    }

    /**
     * @param explicit the {@code --data} flag, or null
     * @return the directory to read, downloading into {@link #LOCAL_DIRECTORY} when nothing else has the files
     */
    public Path locate(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return new Path(explicit);
        }
        String fromEnvironment = environment.get(ENV_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new Path(fromEnvironment);
        }
        for (java.nio.file.Path candidate : new java.nio.file.Path[] {localDirectory, debianDirectory}) {
            Path dir = new Path(candidate.toUri());
            if (FashionMnist.isComplete(dir, hadoop)) {
                return dir;
            }
        }
        progress.println("Fashion-MNIST not found (--data, $" + ENV_VARIABLE + ", " + localDirectory + ", "
                + debianDirectory + "); downloading it into " + localDirectory);
        new Downloader(downloadBase, progress).fetchMissing(localDirectory);
        return new Path(localDirectory.toUri());
    }
}
