package io.skelstream.streams.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

import io.skelstream.streams.config.SkelStreamConfig;

/**
 * Creates SkelStream's topics; idempotent: topics that already exist are reported as they are, not an error.
 */
public final class TopicProvisioner {

    /**
     * What happened to one topic.
     *
     * @param created true when this call created it, false when it already existed
     * @param partitions its partition count now
     * @param replicationFactor its replication factor now
     */
    public record Outcome(String name, boolean created, int partitions, int replicationFactor) {
    }

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** The four topics of a configuration: poses, actions, alerts and dead letters, with the same partitioning. */
    public static List<TopicSpec> topicsOf(SkelStreamConfig config, int partitions, short replicationFactor) {
        Map<String, String> settings = new HashMap<>();
        if (replicationFactor >= 3) {
            settings.put("min.insync.replicas", "2"); // an acknowledged write survives one broker loss
        }
        List<TopicSpec> topics = new ArrayList<>();
        for (String name : List.of(config.posesTopic(), config.actionsTopic(), config.alertsTopic(),
                config.deadLetterTopic())) {
            topics.add(new TopicSpec(name, partitions, replicationFactor, settings));
        }
        return topics;
    }

    /**
     * Creates every missing topic and describes every existing one.
     *
     * @throws TopicProvisioningException when the broker refuses (e.g. replication factor above the broker count,
     *                                    no permission) or does not answer in time
     */
    public List<Outcome> createAll(List<TopicSpec> specs) {
        List<NewTopic> requests = new ArrayList<>();
        for (TopicSpec spec : specs) {
            requests.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()));
        }
        CreateTopicsResult result = admin.createTopics(requests);
        Map<String, Boolean> created = new LinkedHashMap<>();
        for (TopicSpec spec : specs) {
            try {
                result.values().get(spec.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.put(spec.name(), true);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    created.put(spec.name(), false);
                } else {
                    throw new TopicProvisioningException("cannot create topic " + spec.name() + " (" + spec.partitions()
                            + " partitions, replication factor " + spec.replicationFactor() + "): "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new TopicProvisioningException("the broker did not confirm topic " + spec.name() + " within "
                        + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicProvisioningException("interrupted while creating topic " + spec.name(), e);
            }
        }
        Map<String, TopicDescription> descriptions = describe(created.keySet().stream().toList());
        List<Outcome> outcomes = new ArrayList<>();
        created.forEach((name, wasCreated) -> {
            TopicDescription description = descriptions.get(name);
            int partitions = description.partitions().size();
            int replicas = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
            outcomes.add(new Outcome(name, wasCreated, partitions, replicas));
        });
        return outcomes;
    }

    private Map<String, TopicDescription> describe(List<String> names) {
        // A topic just created may take a moment to be visible to describe; retry briefly.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new TopicProvisioningException("cannot describe topics " + names + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                sleepBriefly();
            } catch (TimeoutException e) {
                throw new TopicProvisioningException("the broker did not describe topics " + names + " within "
                        + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicProvisioningException("interrupted while describing topics " + names, e);
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while describing topics", e);
        }
    }
}
