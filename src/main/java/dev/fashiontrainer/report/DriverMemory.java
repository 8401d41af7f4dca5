package dev.fashiontrainer.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The driver JVM's memory over a run, for {@code run.json}: the most its heap held (the sum of every heap pool's
 * peak), the largest heap in use right after a collection (an upper bound of what the driver keeps: a young
 * collection leaves the old generation's garbage in place) and, on Linux, the process's peak resident size. Each
 * figure counts from the run's start ({@link #watch}), so a JVM that runs several (a notebook, the tests) reports
 * each run's own peaks, not the largest of all.
 */
public final class DriverMemory {
    private static final AtomicLong LIVE_PEAK = new AtomicLong();
    // each collector's collection count when the run started: a GcInfo's id is that count after its collection
    private static final Map<String, Long> COUNTS_AT_START = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(DriverMemory.class);
    private static final NotificationListener LISTENER = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (info.getGcInfo().getId() <= COUNTS_AT_START.getOrDefault(info.getGcName(), -1L)) {
                return; // a collection of the previous run whose notification came late: not this run's heap
            }
            long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed)
                    .sum();
            LIVE_PEAK.accumulateAndGet(used - nonHeapUsed(info), Math::max);
        }
    };

    private static boolean watching;

    private DriverMemory() {
    }

    /**
     * Starts a run's figures: every peak counts from now on. The collections are watched from the first call on.
     */
    public static synchronized void watch() {
        ManagementFactory.getGarbageCollectorMXBeans()
                .forEach(bean -> COUNTS_AT_START.put(bean.getName(), bean.getCollectionCount()));
        LIVE_PEAK.set(0);
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        resetResidentPeak();
        if (!watching) {
            ManagementFactory.getGarbageCollectorMXBeans().forEach(bean -> {
                if (bean instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(LISTENER, null, null);
                }
            });
            watching = true;
        }
    }

    private static long nonHeapUsed(GarbageCollectionNotificationInfo info) {
        long nonHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
            if (pool.getType() == MemoryType.NON_HEAP && after != null) {
                nonHeap += after.getUsed();
            }
        }
        return nonHeap;
    }

    /**
     * @return the figures so far, in bytes: {@code heap_live_peak_bytes}, {@code heap_peak_bytes},
     *     {@code heap_max_bytes}, {@code rss_peak_bytes}
     */
    public static Map<String, Object> figures() {
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("heap_live_peak_bytes", LIVE_PEAK.get());
        figures.put("heap_peak_bytes", heapPeak);
        figures.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        figures.put("rss_peak_bytes", residentPeak());
        return figures;
    }

    /** Sets the process's peak resident set to its current size (Linux: {@code proc(5)}, {@code clear_refs}). */
    private static void resetResidentPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel before 4.0: the peak then counts from the JVM's start
            LOG.debug("cannot reset the peak resident set size", e);
        }
    }

    /** @return the process's peak resident set ({@code VmHWM}), or null where {@code /proc} does not say */
    private static Long residentPeak() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: the figure is left out, the run goes on
        }
        return null;
    }
}
