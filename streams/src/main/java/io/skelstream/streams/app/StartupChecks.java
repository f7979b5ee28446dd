package io.skelstream.streams.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.KafkaException;

import io.skelstream.encoder.ModelSource;

/**
 * Checks made before Kafka Streams starts, so a wrong setting gives one clear sentence instead of a minute of
 * retries and a stack trace: the broker is reachable, the topics exist, the model file exists.
 */
public final class StartupChecks {

    private StartupChecks() {
    }

    /**
     * Opens an admin client and waits for the cluster to answer.
     *
     * @return the connected admin client (the caller closes it)
     * @throws StartupException "cannot reach Kafka at host:port within Ns; check kafka.bootstrap.servers"
     */
    public static Admin connectAdmin(Map<String, String> clientProperties, Duration timeout) {
        String bootstrap = clientProperties.getOrDefault(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "");
        Map<String, Object> settings = new HashMap<>(clientProperties);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "skelstream-startup-check");
        Admin admin;
        try {
            admin = Admin.create(settings);
        } catch (KafkaException e) {
            throw new StartupException("cannot connect to Kafka at " + bootstrap + ": " + rootMessage(e)
                    + "; check kafka.bootstrap.servers", e);
        }
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return admin;
        } catch (TimeoutException e) {
            admin.close(Duration.ZERO);
            throw new StartupException(unreachableMessage(bootstrap, timeout), e);
        } catch (ExecutionException e) {
            admin.close(Duration.ZERO);
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new StartupException(unreachableMessage(bootstrap, timeout), e.getCause());
            }
            throw new StartupException("Kafka at " + bootstrap + " refused the connection: " + rootMessage(e)
                    + "; check kafka.bootstrap.servers and the kafka.security.* / kafka.sasl.* settings", e.getCause());
        } catch (InterruptedException e) {
            admin.close(Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while connecting to Kafka at " + bootstrap, e);
        }
    }

    static String unreachableMessage(String bootstrap, Duration timeout) {
        return "cannot reach Kafka at " + bootstrap + " within " + seconds(timeout)
                + "; check kafka.bootstrap.servers (or --bootstrap) and that the broker is running";
    }

    /**
     * Fails when any topic is missing, naming them and the command that creates them.
     *
     * @throws StartupException "topic skel.poses does not exist; create it with: skelstream topics --bootstrap ..."
     */
    public static void requireTopics(Admin admin, Collection<String> topics, String bootstrap, Duration timeout) {
        Set<String> existing;
        try {
            existing = admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while listing the topics of " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException("cannot list the topics of Kafka at " + bootstrap + " within "
                    + seconds(timeout) + ": " + rootMessage(e), e);
        }
        List<String> missing = new ArrayList<>();
        for (String topic : new TreeSet<>(topics)) {
            if (!existing.contains(topic)) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            throw new StartupException(missingTopicsMessage(missing, bootstrap));
        }
    }

    static String missingTopicsMessage(List<String> missing, String bootstrap) {
        String which = missing.size() == 1 ? "topic " + missing.get(0) + " does not exist"
                : "topics " + String.join(", ", missing) + " do not exist";
        return which + " on Kafka at " + bootstrap + "; create them with:  skelstream topics --bootstrap " + bootstrap
                + "  (add --partitions N --replication-factor R for production, and the same --config file)";
    }

    /**
     * Where the model comes from: {@code model.path} when set (the file must exist), else the bundled model.
     *
     * @throws StartupException "model file X not found; ..." or "this build has no bundled model ..."
     */
    public static ModelSource modelSource(Optional<Path> configured) {
        if (configured.isPresent()) {
            Path path = configured.get();
            if (!Files.isRegularFile(path)) {
                throw new StartupException("model file " + path.toAbsolutePath() + " not found; check model.path (or"
                        + " --model). The bundled model is used when none is configured.");
            }
            if (!Files.isReadable(path)) {
                throw new StartupException("model file " + path.toAbsolutePath() + " is not readable by this user");
            }
            return ModelSource.ofPath(path);
        }
        if (!BundledResources.present(BundledResources.MODEL)) {
            throw new StartupException("no model configured and this build has no bundled model (classpath:"
                    + BundledResources.MODEL + "); pass --model path/to/model.onnx or set model.path");
        }
        return ModelSource.ofClasspath(BundledResources.MODEL);
    }

    private static String seconds(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
