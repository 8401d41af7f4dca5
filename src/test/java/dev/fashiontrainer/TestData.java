package dev.fashiontrainer;

import java.io.File;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.FashionMnist;

/**
 * The real Fashion-MNIST files for tests: {@code $FASHION_MNIST_DIR} or Debian's package
 * ({@code apt-get install dataset-fashion-mnist}, which {@code .ci/run} does). Read once per test JVM.
 */
public final class TestData {
    private static FashionMnist data;

    private TestData() {
    }

    /** @return the directory holding the real files */
    public static String directory() {
        String fromEnvironment = System.getenv(DataLocator.ENV_VARIABLE);
        String dir = fromEnvironment != null ? fromEnvironment : DataLocator.DEBIAN_DIRECTORY;
        if (!new File(dir).isDirectory()) {
            throw new IllegalStateException("Fashion-MNIST not found in " + dir
                    + ": apt-get install dataset-fashion-mnist, or set " + DataLocator.ENV_VARIABLE);
        }
        return dir;
    }

    /** @return the real data set, verified */
    public static synchronized FashionMnist fashionMnist() {
        if (data == null) {
            data = FashionMnist.read(new Path(new File(directory()).toURI()), new Configuration(), true);
        }
        return data;
    }
}
