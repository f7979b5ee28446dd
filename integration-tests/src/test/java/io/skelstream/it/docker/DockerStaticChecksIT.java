package io.skelstream.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.skelstream.it.docker.DockerfileInstructions.Instruction;
import io.skelstream.streams.cli.SkelStreamCommand;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine;

/**
 * The docker/ folder checked by the real tools, without a Docker engine: docker-compose parses the stack, promtool
 * checks the Prometheus config and rules and runs the rules' unit tests, the dashboard is strict JSON with a data
 * source and a query on every panel, and the files agree with each other and with the streams module (settings,
 * commands, ports, scrape targets).
 */
class DockerStaticChecksIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> APP_INSTANCES = List.of("skelstream-1", "skelstream-2");

    private static Path docker;
    private static JsonNode compose;

    @BeforeAll
    static void parseComposeFile() {
        docker = DockerFolder.repositoryRoot().resolve("docker");
        // --profile gpu: the GPU service is part of what must parse.
        ExternalTool.Result config = ExternalTool.DOCKER_COMPOSE.run(docker, TOOL_TIMEOUT,
                Map.of("COMPOSE_PROJECT_NAME", "skelstream-check"),
                "-f", DockerFolder.file("compose.yaml").toString(), "--profile", "gpu", "config");
        assertEquals(0, config.exitCode(), config::describe);
        compose = YamlDocument.parse(config.output());
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertFalse(service.isMissingNode(), () -> "compose.yaml has no service " + name);
        return service;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    // ------------------------------------------------------------------ compose

    @Test
    void composeFileShouldParseWithoutProfilesToo() {
        ExternalTool.Result config = ExternalTool.DOCKER_COMPOSE.run(docker, TOOL_TIMEOUT,
                Map.of("COMPOSE_PROJECT_NAME", "skelstream-check"),
                "-f", DockerFolder.file("compose.yaml").toString(), "config", "--quiet");
        assertEquals(0, config.exitCode(), config::describe);
    }

    @Test
    void kafkaShouldBeOneKraftNodeWithSingleReplicaInternalTopics() {
        JsonNode kafka = service("kafka");
        assertTrue(kafka.path("image").asText().startsWith("apache/kafka:"), kafka.path("image").asText());
        JsonNode env = kafka.path("environment");
        assertEquals("broker,controller", env.path("KAFKA_PROCESS_ROLES").asText());
        assertEquals("CONTROLLER", env.path("KAFKA_CONTROLLER_LISTENER_NAMES").asText());
        assertTrue(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText().startsWith(env.path("KAFKA_NODE_ID").asText() + "@"));
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR")) {
            assertEquals("1", env.path(key).asText(), key);
        }
        // The app containers reach Kafka under the advertised internal listener.
        String bootstrap = service("skelstream-1").path("environment").path("SKELSTREAM_KAFKA_BOOTSTRAP_SERVERS").asText();
        assertTrue(env.path("KAFKA_ADVERTISED_LISTENERS").asText().contains("://" + bootstrap),
                () -> "advertised listeners " + env.path("KAFKA_ADVERTISED_LISTENERS") + " lack " + bootstrap);
        assertFalse(kafka.path("healthcheck").path("test").isMissingNode(), "kafka needs a healthcheck for depends_on");
    }

    @Test
    void topicCreatorShouldRunOnceAfterKafkaIsHealthyAndTheAppsAfterIt() {
        JsonNode topics = service("topics");
        assertEquals("topics", topics.path("command").path(0).asText());
        assertEquals("service_healthy", topics.path("depends_on").path("kafka").path("condition").asText());
        assertEquals("no", topics.path("restart").asText("no"));
        for (String name : List.of("skelstream-1", "skelstream-2", "skelstream-gpu", "replay")) {
            assertEquals("service_completed_successfully",
                    service(name).path("depends_on").path("topics").path("condition").asText(), name);
        }
    }

    @Test
    void appInstancesShouldShareTheApplicationIdOnDifferentHostsAndPorts() {
        Set<String> applicationIds = new HashSet<>();
        Set<String> hostnames = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        Set<String> stateVolumes = new HashSet<>();
        for (String name : List.of("skelstream-1", "skelstream-2", "skelstream-gpu")) {
            JsonNode app = service(name);
            assertEquals(List.of("run"), strings(app.path("command")), name);
            applicationIds.add(app.path("environment").path("SKELSTREAM_STREAMS_APPLICATION_ID").asText());
            hostnames.add(app.path("hostname").asText());
            for (JsonNode port : app.path("ports")) {
                hostPorts.add(port.asText().split(":")[1]);
            }
            for (JsonNode volume : app.path("volumes")) {
                if (volume.asText().contains(":/var/lib/skelstream/state")) {
                    stateVolumes.add(volume.asText().split(":")[0]);
                }
            }
        }
        assertEquals(1, applicationIds.size(), () -> "one consumer group needs one application id: " + applicationIds);
        assertFalse(applicationIds.contains(""), "SKELSTREAM_STREAMS_APPLICATION_ID must be set");
        assertEquals(3, hostnames.size(), () -> "hostnames " + hostnames);
        assertEquals(3, hostPorts.size(), () -> "host ports " + hostPorts);
        assertEquals(3, stateVolumes.size(), () -> "each instance needs its own state volume: " + stateVolumes);
    }

    @Test
    void gpuVariantShouldReserveAnNvidiaGpuUnderTheGpuProfile() {
        JsonNode gpu = service("skelstream-gpu");
        assertEquals(List.of("gpu"), strings(gpu.path("profiles")));
        assertEquals("docker/Dockerfile.gpu", gpu.path("build").path("dockerfile").asText());
        JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").path(0);
        assertEquals("nvidia", device.path("driver").asText());
        assertTrue(strings(device.path("capabilities")).contains("gpu"), device::toString);
        assertEquals("CUDA", gpu.path("environment").path("SKELSTREAM_MODEL_PROVIDER").asText());
        for (String name : APP_INSTANCES) {
            assertTrue(service(name).path("profiles").isMissingNode(), name + " must run without a profile");
        }
    }

    @Test
    void everyPublishedPortShouldBeBoundToLoopback() {
        Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> service = services.next();
            for (JsonNode port : service.getValue().path("ports")) {
                String text = port.isObject() ? port.path("host_ip").asText() + ":" + port.path("published").asText()
                        : port.asText();
                assertTrue(text.startsWith("127.0.0.1:"), () -> service.getKey() + " publishes " + text + " on every interface");
            }
        }
    }

    @Test
    void everySkelStreamVariableShouldNameARealSettingWithAValidValue() {
        Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
        int checked = 0;
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> service = services.next();
            if (!service.getValue().path("image").asText().startsWith("skelstream")) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>();
            service.getValue().path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            for (String variable : env.keySet()) {
                if (variable.startsWith(SkelStreamConfig.ENV_PREFIX)) {
                    Optional<String> problem = SkelStreamSettings.problemWith(variable);
                    assertTrue(problem.isEmpty(), () -> service.getKey() + ": " + problem.orElse(""));
                    checked++;
                }
            }
            SkelStreamSettings.load(env); // throws ConfigException naming a bad value
        }
        assertTrue(checked >= 10, "expected the apps' settings in the environment, found " + checked);
    }

    @Test
    void everySkelStreamCommandOfTheStackShouldParse() {
        for (String name : List.of("topics", "skelstream-1", "skelstream-2", "skelstream-gpu", "replay")) {
            List<String> command = strings(service(name).path("command"));
            try {
                CommandLine.ParseResult parsed = SkelStreamCommand.commandLine().parseArgs(command.toArray(String[]::new));
                assertTrue(parsed.hasSubcommand(), () -> name + ": " + command + " names no skelstream command");
            } catch (CommandLine.ParameterException e) {
                fail(name + ": `skelstream " + String.join(" ", command) + "` does not parse: " + e.getMessage());
            }
        }
        List<String> replay = strings(service("replay").path("command"));
        assertTrue(replay.contains("--loop"), "the device feed must loop: " + replay);
    }

    @Test
    void prometheusShouldScrapeEveryAppInstanceOnItsHttpPort() {
        JsonNode prometheus = YamlDocument.read(DockerFolder.file("prometheus/prometheus.yml"));
        Set<String> targets = new HashSet<>();
        Set<String> dnsNames = new HashSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (!job.path("job_name").asText().startsWith("skelstream")) {
                continue;
            }
            assertEquals("/metrics", job.path("metrics_path").asText("/metrics"));
            for (JsonNode group : job.path("static_configs")) {
                targets.addAll(strings(group.path("targets")));
            }
            for (JsonNode dns : job.path("dns_sd_configs")) {
                for (String dnsName : strings(dns.path("names"))) {
                    dnsNames.add(dnsName + ":" + dns.path("port").asText());
                }
            }
        }
        Set<String> expected = new HashSet<>();
        for (String name : APP_INSTANCES) {
            JsonNode app = service(name);
            expected.add(app.path("hostname").asText() + ":" + app.path("environment").path("SKELSTREAM_HTTP_PORT").asText());
        }
        assertEquals(expected, targets);
        JsonNode gpu = service("skelstream-gpu");
        assertEquals(Set.of(gpu.path("hostname").asText() + ":" + gpu.path("environment").path("SKELSTREAM_HTTP_PORT").asText()),
                dnsNames);
    }

    @Test
    void grafanaShouldMountItsProvisioningAndDashboards() {
        List<String> volumes = strings(service("grafana").path("volumes"));
        assertTrue(volumes.stream().anyMatch(v -> v.endsWith("/docker/grafana/provisioning:/etc/grafana/provisioning:ro")), volumes::toString);
        JsonNode provider = YamlDocument.read(DockerFolder.file("grafana/provisioning/dashboards/skelstream.yml"))
                .path("providers").path(0);
        String dashboardsPath = provider.path("options").path("path").asText();
        assertTrue(volumes.stream().anyMatch(v -> v.endsWith("/docker/grafana/dashboards:" + dashboardsPath + ":ro")),
                () -> "the dashboard provider reads " + dashboardsPath + " but the mounts are " + volumes);
        JsonNode datasource = YamlDocument.read(DockerFolder.file("grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").path(0);
        assertEquals("prometheus", datasource.path("type").asText());
        assertTrue(datasource.path("url").asText().startsWith("http://prometheus:"), datasource::toString);
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void promtoolShouldAcceptTheConfigAndItsRuleFiles() {
        ExternalTool.Result result = ExternalTool.PROMTOOL.run(docker, TOOL_TIMEOUT, "check", "config",
                DockerFolder.file("prometheus/prometheus.yml").toString());
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.output().contains("SUCCESS"), result::describe);
    }

    @Test
    void promtoolShouldAcceptTheAlertRules() {
        ExternalTool.Result result = ExternalTool.PROMTOOL.run(docker, TOOL_TIMEOUT, "check", "rules",
                DockerFolder.file("prometheus/alerts.yml").toString());
        assertEquals(0, result.exitCode(), result::describe);
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : YamlDocument.read(DockerFolder.file("prometheus/alerts.yml")).path("groups")) {
            group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText()));
        }
        assertTrue(alerts.containsAll(Set.of("SkelStreamInstanceDown", "SkelStreamConsumerLag", "SkelStreamDeadLetterRate",
                "SkelStreamInferenceLatencyHigh")), alerts::toString);
    }

    @Test
    void alertRulesShouldPassTheirUnitTests() {
        Path tests = DockerFolder.file("prometheus/alerts.test.yml");
        ExternalTool.Result result = ExternalTool.PROMTOOL.run(tests.getParent(), TOOL_TIMEOUT, "test", "rules",
                tests.toString());
        assertEquals(0, result.exitCode(), result::describe);
        // Every alert has at least one test in which it fires.
        Set<String> tested = new HashSet<>();
        for (JsonNode test : YamlDocument.read(tests).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (check.path("exp_alerts").size() > 0) {
                    tested.add(check.path("alertname").asText());
                }
            }
        }
        for (JsonNode group : YamlDocument.read(DockerFolder.file("prometheus/alerts.yml")).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertTrue(tested.contains(rule.path("alert").asText()),
                        () -> "alerts.test.yml never makes " + rule.path("alert").asText() + " fire");
            }
        }
    }

    // ------------------------------------------------------------------ Grafana

    @Test
    void dashboardShouldGiveEveryPanelADatasourceAndAQuery() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DockerFolder.file("grafana/dashboards/skelstream.json"));
        String uid = YamlDocument.read(DockerFolder.file("grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").path(0).path("uid").asText();
        assertFalse(uid.isEmpty(), "the provisioned data source needs a uid the dashboard can name");
        int panels = 0;
        for (JsonNode panel : dashboard.panels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            String title = panel.path("title").asText();
            assertFalse(title.isBlank(), () -> "panel " + panel.path("id") + " has no title");
            assertEquals(uid, panel.path("datasource").path("uid").asText(), () -> title + ": datasource");
            JsonNode targets = panel.path("targets");
            assertTrue(targets.size() > 0, () -> title + " has no query");
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                assertFalse(target.path("expr").asText("").isBlank(), () -> title + ": a target without expr");
                assertTrue(refIds.add(target.path("refId").asText()), () -> title + ": duplicate refId");
                JsonNode datasource = target.path("datasource");
                assertTrue(datasource.isMissingNode() || uid.equals(datasource.path("uid").asText()),
                        () -> title + ": target datasource " + datasource);
            }
        }
        assertTrue(panels >= 10, "expected the dashboard's panels, found " + panels);
        Set<Integer> ids = new HashSet<>();
        dashboard.panels().forEach(p -> assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id")));
        assertNotEquals("", dashboard.root().path("uid").asText(), "a dashboard uid keeps links stable");
    }

    @Test
    void dashboardShouldShowWhatTheIssueAsksFor() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DockerFolder.file("grafana/dashboards/skelstream.json"));
        String all = String.join("\n", dashboard.expressions());
        for (String needed : List.of("skelstream_frames_in_total", "skelstream_windows_inferred_total",
                "skelstream_inference_batch_size_bucket", "skelstream_inference_latency_seconds_bucket",
                "skelstream_dead_letters_total", "skelstream_events_total", "skelstream_alerts_total", "ALERTS")) {
            assertTrue(all.contains(needed), () -> "no panel queries " + needed);
        }
        assertTrue(all.contains("sum by (kind)") && all.contains("sum by (label)"),
                "dead letters by kind and actions by label");
    }

    // ------------------------------------------------------------------ images

    @Test
    void cpuImageShouldRunAsNonRootWithAHealthcheckAndTheContainerJvmFlags() {
        checkImage(DockerfileInstructions.read(DockerFolder.file("Dockerfile")));
    }

    @Test
    void buildContextsShouldSendEveryFileTheDockerfilesCopy() throws java.io.IOException {
        Path root = DockerFolder.repositoryRoot();
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            DockerIgnore ignore = DockerIgnore.read(DockerFolder.file(name + ".dockerignore"));
            assertFalse(ignore.sends("trainer/skelstream_trainer/__init__.py"), name + ": the context should stay small");
            assertFalse(ignore.sends("streams/target/skelstream.jar"), name + ": build outputs stay out of the context");
            int files = 0;
            for (Instruction copy : DockerfileInstructions.read(DockerFolder.file(name)).named("COPY")) {
                if (copy.arguments().startsWith("--from")) {
                    continue;
                }
                String[] parts = copy.arguments().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    Path source = root.resolve(parts[i]);
                    List<Path> sent = Files.isDirectory(source)
                            ? Files.walk(source).filter(Files::isRegularFile).toList() : List.of(source);
                    for (Path file : sent) {
                        String relative = root.relativize(file).toString().replace('\\', '/');
                        assertTrue(ignore.sends(relative), () -> name + ".dockerignore keeps out " + relative
                                + ", which " + name + " copies");
                        files++;
                    }
                }
            }
            assertTrue(files > 20, name + ": expected the sources in the context, found " + files + " files");
        }
    }

    @Test
    void imagesShouldTakeTheShadedJarStreamsBuilds() throws java.io.IOException {
        String streamsPom = Files.readString(DockerFolder.repositoryRoot().resolve("streams/pom.xml"));
        assertTrue(streamsPom.contains("<outputFile>${project.build.directory}/skelstream.jar</outputFile>"),
                "streams/pom.xml no longer writes target/skelstream.jar; update both Dockerfiles");
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            assertTrue(DockerfileInstructions.read(DockerFolder.file(name)).named("RUN").stream()
                    .anyMatch(r -> r.arguments().contains("cp streams/target/skelstream.jar ")), name);
        }
    }

    @Test
    void gpuImageShouldBuildWithTheGpuProfileOnCudaAndCudnn() {
        DockerfileInstructions gpu = DockerfileInstructions.read(DockerFolder.file("Dockerfile.gpu"));
        checkImage(gpu);
        assertTrue(gpu.named("RUN").stream().anyMatch(r -> r.arguments().contains("mvn") && r.arguments().contains("-Pgpu")),
                "the build stage must build with -Pgpu");
        String cudaImage = gpu.named("ARG").stream().map(Instruction::arguments)
                .filter(a -> a.startsWith("CUDA_IMAGE=")).findFirst().orElseThrow();
        assertTrue(cudaImage.matches("CUDA_IMAGE=nvidia/cuda:12\\.[0-9.]+-cudnn-runtime-ubuntu[0-9.]+"), cudaImage);
        assertTrue(gpu.named("RUN").stream().anyMatch(r -> r.arguments().contains("libonnxruntime_providers_cuda.so")),
                "the build must fail when the CUDA provider library is missing");
    }

    private static void checkImage(DockerfileInstructions image) {
        assertTrue(image.finalStage() >= 1, "multi-stage: a build stage and a runtime stage");
        List<Instruction> user = image.inFinalStage("USER");
        assertEquals(1, user.size());
        String uid = user.get(0).arguments().split(":")[0];
        assertFalse(uid.equals("0") || uid.equals("root"), "must not run as root");

        Map<String, String> env = image.finalEnvironment();
        env.keySet().stream().filter(k -> k.startsWith(SkelStreamConfig.ENV_PREFIX)).forEach(variable ->
                assertTrue(SkelStreamSettings.problemWith(variable).isEmpty(), () -> SkelStreamSettings.problemWith(variable).get()));
        SkelStreamConfig settings = SkelStreamSettings.load(env);
        List<Instruction> expose = image.inFinalStage("EXPOSE");
        assertEquals(List.of(String.valueOf(settings.httpPort())), expose.stream().map(Instruction::arguments).toList(),
                "EXPOSE must be the app's http.port");

        List<Instruction> copies = image.inFinalStage("COPY");
        List<String> healthcheck = image.inFinalStage("HEALTHCHECK").get(0).execForm();
        assertTrue(image.inFinalStage("HEALTHCHECK").get(0).arguments().contains(" CMD ["), "HEALTHCHECK CMD in exec form");
        String probe = healthcheck.get(0);
        assertTrue(copies.stream().anyMatch(c -> c.arguments().equals("docker/healthcheck.sh " + probe)),
                () -> "the healthcheck runs " + probe + ", which no COPY puts there");
        assertEquals("/healthz", healthcheck.get(1));

        List<String> entrypoint = image.inFinalStage("ENTRYPOINT").get(0).execForm();
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), entrypoint::toString);
        assertTrue(entrypoint.contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.skelstream.schemas"), entrypoint::toString);
        String nativePath = entrypoint.stream().filter(a -> a.startsWith("-Donnxruntime.native.path=")).findFirst()
                .orElseThrow(() -> new AssertionError("no -Donnxruntime.native.path in " + entrypoint))
                .substring("-Donnxruntime.native.path=".length());
        assertTrue(copies.stream().anyMatch(c -> c.arguments().startsWith("--from=build") && c.arguments().endsWith(" " + nativePath + "/")),
                () -> "ONNX Runtime's libraries are expected in " + nativePath + ", which no COPY fills");
        String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
        assertTrue(copies.stream().anyMatch(c -> c.arguments().startsWith("--from=build") && c.arguments().endsWith(" " + jar)),
                () -> "the entrypoint runs " + jar + ", which no COPY puts there");
        assertEquals(List.of("run"), image.inFinalStage("CMD").get(0).execForm());

        // Everything the build stage copies from the context exists in the repository.
        Path root = DockerFolder.repositoryRoot();
        for (Instruction copy : image.named("COPY")) {
            if (copy.arguments().startsWith("--from")) {
                continue;
            }
            String[] parts = copy.arguments().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                Path source = root.resolve(parts[i]);
                assertTrue(Files.exists(source), () -> "COPY source " + source + " does not exist");
            }
        }
        assertTrue(image.named("RUN").stream().anyMatch(r -> r.arguments().contains("-pl streams -am")
                && (r.arguments().contains("-DskipTests") || r.arguments().contains("-Dmaven.test.skip=true"))),
                "the build stage builds the streams module and what it depends on, tests skipped");
    }

    @Test
    void healthcheckScriptShouldBeValidBash() {
        ExternalTool.Result result = ExternalTool.BASH.run(docker, TOOL_TIMEOUT, "-n", DockerFolder.file("healthcheck.sh").toString());
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(Files.isExecutable(DockerFolder.file("healthcheck.sh")), "healthcheck.sh must be executable");
        assertTrue(Files.isExecutable(DockerFolder.file("unpack-onnxruntime.sh")), "unpack-onnxruntime.sh must be executable");
    }
}
