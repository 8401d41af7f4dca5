package dev.fashiontrainer.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, carried to the executors inside a task, so that they open the data with the
 * same file system settings ({@code spark.hadoop.*}, credentials providers, endpoints) as the driver.
 * Hadoop's {@link Configuration} is not {@link Serializable}; its own {@code write}/{@code readFields} are.
 */
public final class HadoopSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration configuration;

    /** @param configuration the driver's configuration (copied) */
    public HadoopSettings(Configuration configuration) {
        this.configuration = new Configuration(configuration);
    }

    /** @return the configuration */
    public Configuration get() {
        return configuration;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        configuration.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        configuration = new Configuration(false);
        configuration.readFields(in);
    }
}
