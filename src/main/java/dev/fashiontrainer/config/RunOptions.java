package dev.fashiontrainer.config;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

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
 * @param classNames the classes' names, by label, for data whose label column does not name them; null for none
 * @param checkpointEvery save a checkpoint every this many epochs (and after the last), at least 1
 * @param keepCheckpoints how many of the latest checkpoints to keep (the best epoch's weights are kept besides),
 *     at least 1
 */
public record RunOptions(String data, String output, boolean verifyChecksums, URI downloadUrl, boolean overwrite,
                         boolean resume, ProgressMode progress, int progressInterval, List<String> classNames,
                         int checkpointEvery, int keepCheckpoints)
        implements Serializable {

    /**
     * @throws ConfigException when the interval is below one second, a class name is empty, or the checkpoint
     *     cadence or count is below 1
     */
    public RunOptions {
        if (checkpointEvery < 1) {
            throw new ConfigException("--checkpoint-every must be at least 1 epoch, found " + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw new ConfigException("--keep-checkpoints must be at least 1, found " + keepCheckpoints
                    + "; a run needs its latest checkpoint to resume");
        }
        if (progressInterval < 1) {
            throw new ConfigException("--progress-interval must be at least 1 second, found " + progressInterval);
        }
        if (classNames != null && classNames.stream().anyMatch(String::isBlank)) {
            throw new ConfigException("--class-names must name every class, found an empty name in "
                    + String.join(",", classNames));
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }
}
