package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network of a {@link NamespaceCluster}: one Linux network namespace per host (master, driver, workers) and
 * one for the switch, a bridge that every host's veth link plugs into. All devices live inside these namespaces
 * (the bridge and the switch-side ends of the links included), so the machine's own network is never touched and
 * deleting the namespaces removes every device. Each link is limited with {@code tc tbf} in both directions: on
 * the host's {@code eth0} (what it sends) and on its switch port (what it receives). This kernel has no
 * {@code netem}, so latency is what the links have, measured ({@link LinkProbe}), not added.
 *
 * <p>Names start with {@code fts<pid>-}, the owning JVM's process id: a later run deletes the namespaces of a
 * process that no longer lives (a crashed run's leftovers), never those of a live one.
 */
public final class NamespaceLinks {
    /** The subnet of every cluster's hosts; namespaces isolate clusters from each other and from the machine. */
    static final String SUBNET = "10.213.0.";
    private static final String PREFIX = "fts";
    private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "(\\d+)-\\S+");

    private final String id;
    private final List<String> hosts;

    private NamespaceLinks(String id, List<String> hosts) {
        this.id = id;
        this.hosts = hosts;
    }

    /**
     * @return why namespaces cannot be made here (not root, no {@code ip} or {@code tc}), or empty when they can
     */
    public static Optional<String> unavailable() {
        String uid = quietOutput("id", "-u");
        if (uid == null || !uid.trim().equals("0")) {
            return Optional.of("network namespaces need root; run as root (as CI does) to measure over real links");
        }
        if (quietOutput("ip", "netns", "list") == null || quietOutput("tc", "-V") == null) {
            return Optional.of("the ip and tc commands (iproute2) are missing; install iproute2");
        }
        return Optional.empty();
    }

    /**
     * Deletes the leftovers of runs whose process is gone, then makes the namespaces and links of a new cluster.
     *
     * @param workers number of worker hosts
     * @return the links, not yet limited
     */
    static NamespaceLinks create(int workers) {
        removeLeftovers();
        NamespaceLinks links = existing(PREFIX + ProcessHandle.current().pid(), workers);
        List<String> hosts = links.hosts;
        try {
            run("ip", "netns", "add", links.namespace("sw"));
            run("ip", "-n", links.namespace("sw"), "link", "add", "br0", "type", "bridge");
            run("ip", "-n", links.namespace("sw"), "link", "set", "br0", "up");
            for (String host : hosts) {
                String ns = links.namespace(host);
                run("ip", "netns", "add", ns);
                run("ip", "-n", ns, "link", "set", "lo", "up");
                run("ip", "-n", links.namespace("sw"), "link", "add", port(host), "type", "veth", "peer", "name", "eth0",
                        "netns", ns);
                run("ip", "-n", links.namespace("sw"), "link", "set", port(host), "master", "br0", "up");
                run("ip", "-n", ns, "addr", "add", links.address(host) + "/24", "dev", "eth0");
                run("ip", "-n", ns, "link", "set", "eth0", "up");
            }
            return links;
        } catch (RuntimeException e) {
            links.delete();
            throw e;
        }
    }

    /**
     * @param id a live cluster's {@link #id()}
     * @param workers its number of workers
     * @return its links, for another process (the benchmark's driver) to change their rate
     */
    public static NamespaceLinks existing(String id, int workers) {
        List<String> hosts = new ArrayList<>(List.of("master", "driver"));
        for (int i = 1; i <= workers; i++) {
            hosts.add("w" + i);
        }
        return new NamespaceLinks(id, hosts);
    }

    /**
     * Limits every link, both ways, with a token bucket.
     *
     * @param bitsPerSecond the rate
     */
    public void limit(long bitsPerSecond) {
        // The bucket holds 1 ms at the rate (at least 128 KB, two of veth's 64 KB GSO packets), so a sender is never
        // stalled by one packet larger than the bucket; the queue holds 20 ms.
        long burst = Math.max(128 * 1024, bitsPerSecond / 8 / 1000);
        for (String host : hosts) {
            tbf(namespace(host), "eth0", bitsPerSecond, burst);
            tbf(namespace("sw"), port(host), bitsPerSecond, burst);
        }
    }

    /** Removes every limit: the links run as fast as veth and the CPUs let them. */
    public void unlimit() {
        for (String host : hosts) {
            run("ip", "netns", "exec", namespace(host), "tc", "qdisc", "del", "dev", "eth0", "root");
            run("ip", "netns", "exec", namespace("sw"), "tc", "qdisc", "del", "dev", port(host), "root");
        }
    }

    private static void tbf(String ns, String device, long rate, long burst) {
        run("ip", "netns", "exec", ns, "tc", "qdisc", "replace", "dev", device, "root", "tbf", "rate", rate + "bit",
                "burst", String.valueOf(burst), "latency", "20ms");
    }

    // A switch port is named after its host, prefixed: "master" alone is a keyword of ip link.
    private static String port(String host) {
        return "p" + host;
    }

    /** @return the owning process's prefix of every name, {@code fts<pid>} */
    public String id() {
        return id;
    }

    /** @return the hosts: master, driver, w1..wN */
    List<String> hosts() {
        return hosts;
    }

    /**
     * @param host master, driver, w1..wN or sw
     * @return its namespace's name
     */
    public String namespace(String host) {
        return id + "-" + host;
    }

    /**
     * @param host master, driver or w1..wN
     * @return its address inside the cluster
     */
    public String address(String host) {
        return SUBNET + switch (host) {
            case "master" -> 2;
            case "driver" -> 3;
            default -> 10 + Integer.parseInt(host.substring(1));
        };
    }

    /**
     * @param host a host
     * @param command a program and its arguments
     * @return the command run inside that host's namespace
     */
    public List<String> inside(String host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        full.addAll(command);
        return full;
    }

    /** Kills every process in these namespaces, then deletes them (which deletes their devices). */
    void delete() {
        List<String> all = new ArrayList<>(hosts);
        all.add("sw");
        for (String host : all) {
            killAllIn(namespace(host));
        }
        for (String host : all) {
            quietOutput("ip", "netns", "delete", namespace(host));
        }
    }

    /** @return this cluster's namespaces that still exist (none after {@link #delete()}) */
    List<String> remaining() {
        String list = quietOutput("ip", "netns", "list");
        List<String> found = new ArrayList<>();
        for (String line : list == null ? new String[0] : list.split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(id + "-")) {
                found.add(name);
            }
        }
        return found;
    }

    private static void removeLeftovers() {
        String list = quietOutput("ip", "netns", "list");
        for (String line : list == null ? new String[0] : list.split("\n")) {
            Matcher owned = OWNED.matcher(line);
            if (owned.find() && ProcessHandle.of(Long.parseLong(owned.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                String name = line.split("\\s+")[0];
                killAllIn(name);
                quietOutput("ip", "netns", "delete", name);
            }
        }
    }

    private static void killAllIn(String namespace) {
        String pids = quietOutput("ip", "netns", "pids", namespace);
        if (pids == null) {
            return;
        }
        List<ProcessHandle> processes = pids.lines().filter(l -> !l.isBlank())
                .flatMap(l -> ProcessHandle.of(Long.parseLong(l.trim())).stream()).toList();
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    /** Runs a command and fails with its output when it fails. */
    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with code " + process.exitValue()
                        + ": " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** @return the command's output, or null when it cannot run or fails */
    private static String quietOutput(String... command) {
        try {
            return run(command);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
