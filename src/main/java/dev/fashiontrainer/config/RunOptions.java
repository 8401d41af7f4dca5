package dev.fashiontrainer.config;

import java.io.Serializable;
import java.net.URI;

/**
 * Where a run reads and writes: settings that do not change what is learned.
 *
 * @param data directory with the four Fashion-MNIST files (any Hadoop location), or null to search for it
 * @param output run directory (any Hadoop location)
 * @param verifyChecksums compare the data files with the published SHA-256 digests
 * @param downloadUrl where to download the data from when no copy is found
 * @param overwrite train again even when the run directory holds a finished run
 * @param resume continue from the run directory's checkpoint when it has one
 * @param progress how the console shows an epoch while it runs
 * @param progressInterval seconds between two progress lines ({@link ProgressMode#LINES}), at least 1
 */
public record RunOptions(String data, String output, boolean verifyChecksums, URI downloadUrl, boolean overwrite,
                         boolean resume, ProgressMode progress, int progressInterval) implements Serializable {

    /** @throws ConfigException when the interval is below one second */
    public RunOptions {
        if (progressInterval < 1) {
            throw new ConfigException("--progress-interval must be at least 1 second, found " + progressInterval);
        }
    }
}
