package dev.fashiontrainer.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Versions of the software a run used, read from the jars' Maven metadata, for {@code run.json}.
 */
public final class Versions {
    private Versions() {
    }

    /**
     * @param sparkVersion the running Spark's version
     * @return component name to version
     */
    public static Map<String, String> of(String sparkVersion) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("fashion_trainer", maven("dev.fashiontrainer", "fashion-trainer"));
        versions.put("java", System.getProperty("java.version"));
        versions.put("spark", sparkVersion);
        versions.put("scala", scala.util.Properties.versionNumberString());
        versions.put("deeplearning4j", maven("org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("nd4j", maven("org.nd4j", "nd4j-api"));
        return versions;
    }

    private static String maven(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Versions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
