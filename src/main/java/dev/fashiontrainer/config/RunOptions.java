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
 */
public record RunOptions(String data, String output, boolean verifyChecksums, URI downloadUrl, boolean overwrite,
                         boolean resume) implements Serializable {
}
