package dev.fashiontrainer.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures a link of a {@link NamespaceCluster} as the trainer's JVMs see it: TCP throughput of one stream (what a
 * Spark block transfer is) and the round-trip time of one-byte messages. Run as a small JVM in each of two
 * namespaces: {@code serve ADDRESS PORT} in one, {@code measure ADDRESS PORT MEGABYTES} in the other, which prints
 * {@code rtt_us=... mbit_per_s=...}.
 */
public final class LinkProbe {
    private static final int PORT = 5999;

    private LinkProbe() {
    }

    /** What one probe measured. */
    public record Measured(double roundTripMicros, double megabitsPerSecond) {
    }

    /**
     * Measures the link from {@code from} to {@code to}: starts a server JVM in {@code to}'s namespace and a client
     * in {@code from}'s.
     *
     * @param links the cluster's links
     * @param from the sending host
     * @param to the receiving host
     * @param megabytes how much to send
     * @return the round-trip time and throughput
     */
    public static Measured measure(NamespaceLinks links, String from, String to, int megabytes) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Process server = new ProcessBuilder(links.inside(to, List.of(java, "-cp", classpath, LinkProbe.class.getName(),
                "serve", links.address(to), String.valueOf(PORT)))).redirectErrorStream(true).start();
        try {
            server.getInputStream().read(); // it prints a line once it listens
            String output = NamespaceLinks.run(links.inside(from, List.of(java, "-cp", classpath,
                    LinkProbe.class.getName(), "measure", links.address(to), String.valueOf(PORT),
                    String.valueOf(megabytes))).toArray(String[]::new));
            String line = output.lines().filter(l -> l.startsWith("rtt_us=")).findFirst().orElseThrow(
                    () -> new IllegalStateException("expected rtt_us=... mbit_per_s=... from the probe; found " + output));
            String[] parts = line.split("\\s+");
            return new Measured(Double.parseDouble(parts[0].substring(7)), Double.parseDouble(parts[1].substring(11)));
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * @param args {@code serve ADDRESS PORT} or {@code measure ADDRESS PORT MEGABYTES}
     */
    public static void main(String[] args) throws IOException {
        InetAddress address = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("serve")) {
            serve(address, port);
        } else {
            measure(address, port, Integer.parseInt(args[3]));
        }
    }

    private static void serve(InetAddress address, int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 4, address)) {
            System.out.println("listening");
            System.out.flush();
            for (int connection = 0; connection < 2; connection++) {
                try (Socket socket = server.accept()) {
                    socket.setTcpNoDelay(true);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    if (in.read() == 'E') { // echo one byte at a time until the client closes
                        for (int b = in.read(); b >= 0; b = in.read()) {
                            out.write(b);
                            out.flush();
                        }
                    } else { // sink: count until the client closes its side, then say how much arrived
                        byte[] buffer = new byte[1 << 20];
                        long total = 0;
                        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                            total += n;
                        }
                        new DataOutputStream(out).writeLong(total);
                        out.flush();
                    }
                }
            }
        }
    }

    private static void measure(InetAddress address, int port, int megabytes) throws IOException {
        long[] trips = new long[200];
        try (Socket socket = connect(address, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write('E');
            for (int i = 0; i < trips.length; i++) {
                long start = System.nanoTime();
                out.write(1);
                out.flush();
                in.read();
                trips[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(trips);
        long bytes = (long) megabytes << 20;
        long start;
        long received;
        try (Socket socket = connect(address, port)) {
            OutputStream out = socket.getOutputStream();
            out.write('S');
            byte[] buffer = new byte[1 << 20];
            start = System.nanoTime();
            for (long sent = 0; sent < bytes; sent += buffer.length) {
                out.write(buffer);
            }
            socket.shutdownOutput();
            received = new DataInputStream(socket.getInputStream()).readLong();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "rtt_us=%.1f mbit_per_s=%.1f%n", trips[trips.length / 2] / 1e3,
                received * 8 / seconds / 1e6);
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return new Socket(address, port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                StandaloneCluster.sleep(Duration.ofMillis(100));
            }
        }
    }
}
