package iplayout.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Test-only Neo4j 5.26 for iplayout: an in-process server (neo4j-harness) with Bolt on a
 * loopback port, auth off, and APOC core loaded from a plugin directory.
 *
 * <pre>
 * java [JVM flags] -cp CLASSES:DEPS iplayout.neo4j.Launcher PORT WORK_DIR [PLUGIN_DIR] [--stdin]
 * </pre>
 *
 * Prints {@code BOLT bolt://127.0.0.1:PORT} on stdout once the database accepts Bolt
 * connections, then blocks until SIGTERM/SIGINT (or, with {@code --stdin}, until stdin is
 * closed) and shuts the database down cleanly. Tunables (system properties):
 * {@code iplayout.neo4j.host} (127.0.0.1), {@code iplayout.neo4j.pagecache} (512m),
 * {@code iplayout.neo4j.txTimeoutSeconds} (300).
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        boolean watchStdin = false;
        List<String> positional = new java.util.ArrayList<>();
        for (String a : args) {
            if ("--stdin".equals(a)) {
                watchStdin = true;
            } else {
                positional.add(a);
            }
        }
        if (positional.size() < 2 || positional.size() > 3) {
            System.err.println("usage: Launcher PORT WORK_DIR [PLUGIN_DIR] [--stdin]");
            System.exit(2);
        }
        int port = Integer.parseInt(positional.get(0));
        Path workDir = Path.of(positional.get(1)).toAbsolutePath();
        Path pluginDir = positional.size() > 2 ? Path.of(positional.get(2)).toAbsolutePath() : null;

        String host = System.getProperty("iplayout.neo4j.host", "127.0.0.1");
        long pageCache = ByteUnit.parse(System.getProperty("iplayout.neo4j.pagecache", "512m"));
        long txTimeout = Long.parseLong(System.getProperty("iplayout.neo4j.txTimeoutSeconds", "300"));

        Files.createDirectories(workDir);
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer() // no HTTP/HTTPS; Bolt only
                .withConfig(HttpConnector.enabled, false)
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .withConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeout))
                .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                .withConfig(GraphDatabaseSettings.procedure_allowlist, List.of("*"))
                // throw-away store: don't preallocate 2 x 256 MB of transaction logs
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.preallocate_store_files, false)
                // Bolt's netty shutdown otherwise waits a 5 s quiet period per event loop
                // group (~12 s per stop); a throw-away test server needs no grace period.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2));
        if (pluginDir != null) {
            builder = builder.withConfig(GraphDatabaseSettings.plugin_dir, pluginDir);
        }

        final Neo4j neo4j = builder.build();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("iplayout-neo4j: shutting down");
            try {
                neo4j.close();
            } catch (RuntimeException e) {
                System.err.println("iplayout-neo4j: error during shutdown: " + e);
            } finally {
                stopped.countDown();
            }
        }, "iplayout-neo4j-shutdown"));

        System.err.println("iplayout-neo4j: home " + neo4j.config().get(GraphDatabaseSettings.neo4j_home));
        System.out.println("BOLT bolt://" + host + ":" + port);
        System.out.flush();

        if (watchStdin) {
            Thread t = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // discard; wait for EOF
                    }
                } catch (IOException ignored) {
                    // treat as closed
                }
                System.exit(0); // runs the shutdown hook
            }, "iplayout-neo4j-stdin");
            t.setDaemon(true);
            t.start();
        }
        stopped.await();
    }
}
