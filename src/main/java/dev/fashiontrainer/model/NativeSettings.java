package dev.fashiontrainer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.regex.Pattern;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Native-library settings every computing JVM needs. Each Spark task core runs one single-threaded training loop,
 * so ND4J's own thread pools would only oversubscribe the cores (measured: 2 threads per process made the matrix
 * products 4x slower). DL4J's oneDNN helpers are turned off because for these small dense layers they cost more
 * than they save (measured: 4.9-5.8 s versus 2.8-3.5 s for 469 minibatches).
 */
public final class NativeSettings {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Pattern FLAGS_LINE = Pattern.compile("^flags\\s*:\\s*(.*)$", Pattern.MULTILINE);

    private static volatile boolean applied;

    private NativeSettings() {
    }

    /** Applies the settings once per JVM; later calls do nothing. */
    public static synchronized void applyToThisJvm() {
        if (applied) {
            return;
        }
        Nd4j.getEnvironment().allowHelpers(false);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        applied = true;
    }

    /**
     * The environment a computing JVM needs before ND4J's native libraries load, which only its launcher can give
     * it (Spark's {@code spark.executorEnv.*}): one OpenMP and one OpenBLAS thread per task core, and, when known,
     * the OpenBLAS kernel family. The bundled OpenBLAS 0.3.19 does not recognise recent CPUs and falls back to
     * kernels for an old AMD family, about 3x slower on these shapes. The same rules as submit/native-env.sh.
     *
     * @return variable names and values, in a fixed order
     */
    public static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OMP_NUM_THREADS", "1");
        environment.put("OPENBLAS_NUM_THREADS", "1");
        openBlasCoreType().ifPresent(type -> environment.put("OPENBLAS_CORETYPE", type));
        return environment;
    }

    /**
     * @return this JVM's own {@code OPENBLAS_CORETYPE} when set, else the family this machine's CPU supports
     *     (SkylakeX for AVX-512, Haswell for AVX2), else nothing
     */
    static Optional<String> openBlasCoreType() {
        String chosen = System.getenv("OPENBLAS_CORETYPE");
        if (chosen != null && !chosen.isBlank()) {
            return Optional.of(chosen);
        }
        try {
            var matcher = FLAGS_LINE.matcher(Files.readString(CPU_INFO));
            if (!matcher.find()) {
                return Optional.empty();
            }
            List<String> flags = List.of(matcher.group(1).trim().split("\\s+"));
            if (flags.contains("avx512f") && flags.contains("avx512bw")) {
                return Optional.of("SkylakeX");
            }
            return flags.contains("avx2") ? Optional.of("Haswell") : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not Linux: OpenBLAS's own detection it is
        }
    }
}
