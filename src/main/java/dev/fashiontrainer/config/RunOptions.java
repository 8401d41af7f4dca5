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
 */
public record RunOptions(String data, String output, boolean verifyChecksums, URI downloadUrl)
        implements Serializable {
}
