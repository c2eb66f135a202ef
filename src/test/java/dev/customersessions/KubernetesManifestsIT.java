package dev.customersessions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.customersessions.support.ApplicationSettings;
import dev.customersessions.support.ExternalTools;
import dev.customersessions.support.PackagedAppDatabase;
import dev.customersessions.support.ShutdownTimings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Every Kubernetes overlay, rendered by {@code kubectl kustomize} and read into typed Kubernetes objects, against the
 * packaged application as it runs: the probe and metrics paths are served on the port the manifests name, the
 * ports are the ones the application listens on, every environment variable set is a setting the application reads
 * at run time, no secret is committed, and the Pod Security "restricted" rules, graceful shutdown and the database
 * wiring hold. Without kubectl (it includes kustomize) the test is left out, saying so; CI installs it.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppDatabase.class)
class KubernetesManifestsIT {

    private static final String APP = "customer-sessions";
    /** The management port as the packaged application serves it (the production default; the test runs on it). */
    private static final int MANAGEMENT_PORT = 9000;
    private static final Path OVERLAYS = Path.of("kubernetes", "overlays");
    private static final Path CONFIGURATION = Path.of("docs", "configuration.md");
    private static final Path DEPLOY = Path.of("docs", "deploy.md");
    private static final Path BACKUP = Path.of("docs", "backup.md");
    /** CloudNativePG's plugin for backups to object stores (Barman Cloud). */
    private static final String BARMAN = "barman-cloud.cloudnative-pg.io";

    /** A folder of backups in an object store: the bucket path and the server's name in it. */
    record BackupLocation(String destinationPath, String serverName) {
    }

    /** Where an overlay's database archives its backups, and where it is restored from (null: created empty). */
    record Backups(BackupLocation archive, BackupLocation restoredFrom) {
    }

    @Test
    void everyOverlayMatchesWhatTheApplicationServesAndReads() throws Exception {
        String kubectl = Optional.ofNullable(System.getenv("KUBECTL")).orElseGet(() -> ExternalTools.require(
                "KubernetesManifestsIT", "kubectl, which includes kustomize; or set KUBECTL to its path", "kubectl"));
        List<Path> overlays;
        try (Stream<Path> children = Files.list(OVERLAYS)) {
            overlays = children.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(overlays.size() >= 3, "overlays: " + overlays);
        Map<String, Backups> backups = new LinkedHashMap<>();
        for (Path overlay : overlays) {
            List<String> rendered = ExternalTools.run(Path.of("."), List.of(kubectl, "kustomize", overlay.toString()), 60);
            Backups database = check(overlay.getFileName().toString(), parse(String.join("\n", rendered)));
            if (database != null) {
                backups.put(overlay.getFileName().toString(), database);
            }
        }
        // overlays/restore brings back the database of overlays/jvm from the backups that one writes.
        BackupLocation written = backups.get("jvm").archive();
        assertEquals(written, backups.get("restore").restoredFrom(), "overlays/restore reads the backups of overlays/jvm's database");
        backups.forEach((overlay, database) -> assertTrue(database.restoredFrom() != null || database.archive().equals(written),
                "overlay " + overlay + ": archives where overlays/jvm does"));
    }

    /**
     * Every setting in the configuration table (docs/configuration.md) and in docs/limits.md (a row naming a property,
     * then its environment variable) is one the application reads at run time, under that property.
     */
    @Test
    void theDocumentedSettingsAreOnesTheApplicationReads() throws IOException {
        assertTrue(checkSettingRows("docs/configuration.md", Files.readString(CONFIGURATION)) >= 30,
                "docs/configuration.md's table lists the settings");
        assertTrue(checkSettingRows("docs/limits.md", Files.readString(Path.of("docs", "limits.md"))) >= 15,
                "docs/limits.md names the settings of the limits");
    }

    private static int checkSettingRows(String page, String text) {
        Matcher row = Pattern.compile("\\| `([a-z0-9.\"-]+)` \\| `([A-Z0-9_]+)` \\|").matcher(text);
        int rows = 0;
        while (row.find()) {
            rows++;
            ApplicationSettings.Setting setting = ApplicationSettings.byEnvironmentVariable(row.group(2));
            assertNotNull(setting, page + " names " + row.group(2) + ", which the application does not read");
            assertEquals(row.group(1), setting.property(), page + ": the property of " + row.group(2));
            assertTrue(setting.readAtRunTime(), page + ": " + row.group(2) + " is fixed at build time, not an operator's setting");
        }
        return rows;
    }

    private Backups check(String overlay, List<HasMetadata> resources) throws IOException {
        String where = "overlay " + overlay + ": ";
        assertTrue(resources.stream().noneMatch(r -> "Secret".equals(r.getKind())), where + "a Secret is committed");

        Deployment deployment = one(resources, Deployment.class, APP, where);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Integer replicas = deployment.getSpec().getReplicas();
        assertTrue(replicas == null || replicas >= 2, where + "replicas: left to the autoscaler, or at least 2");
        assertTrue(matches(deployment.getSpec().getSelector(), podLabels), where + "the Deployment selects its pods");

        // Pod Security "restricted".
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where + "runAsNonRoot");
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where + "seccompProfile");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + "no service account token");
        one(resources, ServiceAccount.class, pod.getServiceAccountName(), where);
        assertEquals(1, pod.getContainers().size(), where + "one container");
        Container container = pod.getContainers().get(0);
        var security = container.getSecurityContext();
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where + "read-only root filesystem");
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where + "allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where + "capabilities dropped");
        assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty(), where + "capabilities added");
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        for (VolumeMount mount : container.getVolumeMounts()) {
            assertTrue(volumes.containsKey(mount.getName()), where + "mount " + mount.getName() + " has a volume");
        }
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError(where + "/tmp is mounted writable"));
        assertNotNull(volumes.get(tmp.getName()).getEmptyDir(), where + "/tmp is an emptyDir");

        // Ports: what the application listens on, and what it serves there.
        Map<String, Integer> ports = container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertEquals(Integer.valueOf(setting("QUARKUS_HTTP_PORT")), ports.get("http"), where + "the API port");
        assertEquals(Integer.valueOf(setting("QUARKUS_MANAGEMENT_PORT")), ports.get("management"), where + "the management port");
        assertEquals(MANAGEMENT_PORT, ports.get("management"), where + "the management port as the application serves it");
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            HTTPGetAction get = probe.getHttpGet();
            assertEquals(MANAGEMENT_PORT, port(get.getPort(), ports), where + "probe port of " + get.getPath());
            given().port(MANAGEMENT_PORT).get(get.getPath()).then().statusCode(200).body(containsString("\"status\": \"UP\""));
        }
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"), where + "scraped");
        assertEquals(ports.get("management"), Integer.valueOf(annotations.get("prometheus.io/port")), where + "scrape port");
        given().port(MANAGEMENT_PORT).get(annotations.get("prometheus.io/path")).then().statusCode(200)
                .body(containsString("# TYPE "));

        Service service = one(resources, Service.class, APP, where);
        assertTrue(service.getSpec().getSelector().entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey()))),
                where + "the Service selects the pods");
        service.getSpec().getPorts().forEach(p -> assertTrue(ports.containsKey(p.getTargetPort().getStrVal()),
                where + "Service targets a named container port"));

        // Availability: disruption budget, autoscaler, spread over nodes.
        PodDisruptionBudget budget = one(resources, PodDisruptionBudget.class, APP, where);
        assertTrue(matches(budget.getSpec().getSelector(), podLabels), where + "the budget selects the pods");
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal(), where + "one pod at a time");
        HorizontalPodAutoscaler autoscaler = one(resources, HorizontalPodAutoscaler.class, APP, where);
        assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
        assertEquals(APP, autoscaler.getSpec().getScaleTargetRef().getName());
        assertTrue(autoscaler.getSpec().getMinReplicas() >= 2 && autoscaler.getSpec().getMaxReplicas() > autoscaler.getSpec().getMinReplicas(), where + "autoscaler range");
        assertTrue(pod.getTopologySpreadConstraints().stream().anyMatch(c -> c.getTopologyKey().equals("kubernetes.io/hostname")
                && c.getWhenUnsatisfiable().equals("DoNotSchedule") && "Honor".equals(c.getNodeTaintsPolicy())
                && matches(c.getLabelSelector(), podLabels)), where + "spread over schedulable nodes");

        // Settings: the generated ConfigMap and every variable set is one the application reads at run time.
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, SecretKeySelector> fromSecrets = new HashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            String name = source.getConfigMapRef().getName();
            assertTrue(name.startsWith(APP + "-") && name.length() > APP.length() + 5, where + "generated ConfigMap (rolls the pods): " + name);
            environment.putAll(one(resources, ConfigMap.class, name, where).getData());
        }
        for (EnvVar variable : container.getEnv()) {
            assertFalse(environment.containsKey(variable.getName()), where + variable.getName() + " set twice");
            if (variable.getValueFrom() != null) {
                fromSecrets.put(variable.getName(), variable.getValueFrom().getSecretKeyRef());
                environment.put(variable.getName(), null);
            } else {
                environment.put(variable.getName(), variable.getValue());
            }
        }
        for (String name : environment.keySet()) {
            ApplicationSettings.Setting setting = ApplicationSettings.byEnvironmentVariable(name);
            assertNotNull(setting, where + name + " is not a setting the application reads");
            assertTrue(setting.readAtRunTime(), where + name + " (" + setting.property() + ") is fixed at build time");
        }
        for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "CUSTOMER_SESSIONS_MANAGEMENT_KEY")) {
            assertTrue(environment.containsKey(required), where + required + " is set");
        }
        for (String secret : List.of("QUARKUS_DATASOURCE_PASSWORD", "CUSTOMER_SESSIONS_MANAGEMENT_KEY")) {
            assertNotNull(fromSecrets.get(secret), where + secret + " comes from a Secret");
        }

        // Graceful shutdown: the timings RollingRestartIT runs (kubernetes/base's), which no overlay may change.
        assertEquals(ShutdownTimings.deployment(), ShutdownTimings.of(pod, environment), where + "the shutdown timings tested");

        NetworkPolicy policy = one(resources, NetworkPolicy.class, APP, where);
        assertTrue(matches(policy.getSpec().getPodSelector(), podLabels), where + "the NetworkPolicy selects the pods");
        assertTrue(policy.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress")), where + "policy types");
        assertTrue(allows(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream()).toList(), "http", ports),
                where + "the API is reachable");
        assertTrue(allows(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream()).toList(), "management", ports),
                where + "metrics are reachable");

        // The database: secrets referenced by name only; either the operator's cluster or one the README says to create.
        List<GenericKubernetesResource> clusters = resources.stream()
                .filter(r -> r instanceof GenericKubernetesResource && "Cluster".equals(r.getKind())).map(GenericKubernetesResource.class::cast).toList();
        String deploy = Files.readString(DEPLOY);
        Backups backups = null;
        if (clusters.isEmpty()) {
            assertNotNull(fromSecrets.get("QUARKUS_DATASOURCE_JDBC_URL"), where + "a managed database's URL comes from a Secret");
        } else {
            assertEquals(1, clusters.size());
            checkCloudNativePg(where, clusters.get(0), environment, fromSecrets, container, volumes, podLabels, resources, policy);
            backups = checkBackups(where, clusters.get(0), resources);
        }
        String clusterName = clusters.isEmpty() ? null : clusters.get(0).getMetadata().getName();
        for (SecretKeySelector reference : fromSecrets.values()) {
            boolean operators = clusterName != null && reference.getName().equals(clusterName + "-app");
            assertTrue(operators || saysHowToCreate(deploy, reference.getName()),
                    where + "docs/deploy.md says how to create the Secret " + reference.getName());
        }
        return backups;
    }

    private void checkCloudNativePg(String where, GenericKubernetesResource cluster, Map<String, String> environment,
            Map<String, SecretKeySelector> fromSecrets, Container container, Map<String, Volume> volumes,
            Map<String, String> podLabels, List<HasMetadata> resources, NetworkPolicy appPolicy) {
        String name = cluster.getMetadata().getName();
        assertEquals("postgresql.cnpg.io/v1", cluster.getApiVersion());
        assertEquals(3, ((Number) cluster.get("spec", "instances")).intValue(), where + "three instances");
        // Synchronous replication to one standby, as FailoverIT runs it: a failover loses no acknowledged write.
        assertEquals(1, ((Number) cluster.get("spec", "postgresql", "synchronous", "number")).intValue(), where + "one synchronous standby");
        assertEquals("preferred", cluster.get("spec", "postgresql", "synchronous", "dataDurability"), where + "writes go on without a standby");
        // Created empty (initdb) or restored from backups (recovery): the same database and owner either way.
        String bootstrap = cluster.get("spec", "bootstrap", "recovery") != null ? "recovery" : "initdb";
        String database = cluster.get("spec", "bootstrap", bootstrap, "database");
        String owner = cluster.get("spec", "bootstrap", bootstrap, "owner");
        assertEquals(1, ((Map<?, ?>) cluster.get("spec", "bootstrap")).size(), where + "one way to bootstrap");
        assertNotNull(owner, where + "the database's owner");

        URI url = URI.create(environment.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
        assertEquals(name + "-rw", url.getHost(), where + "connects through the read-write Service");
        assertEquals(5432, url.getPort());
        assertEquals("/" + database, url.getPath(), where + "the database the operator creates");
        Map<String, String> parameters = Stream.of(url.getQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertEquals("verify-full", parameters.get("sslmode"), where + "TLS, with the server's certificate checked");
        Path caFile = Path.of(parameters.get("sslrootcert"));
        VolumeMount caMount = container.getVolumeMounts().stream().filter(m -> caFile.startsWith(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(where + "the CA file " + caFile + " is mounted"));
        var caSecret = volumes.get(caMount.getName()).getSecret();
        assertEquals(name + "-ca", caSecret.getSecretName(), where + "the cluster's CA");
        assertEquals(caFile.getFileName().toString(), caSecret.getItems().get(0).getPath());
        assertEquals(List.of("ca.crt"), caSecret.getItems().stream().map(i -> i.getKey()).toList(), where + "only the CA's certificate, not its key");

        for (String[] credential : new String[][] {{"QUARKUS_DATASOURCE_USERNAME", "username"}, {"QUARKUS_DATASOURCE_PASSWORD", "password"}}) {
            SecretKeySelector reference = fromSecrets.get(credential[0]);
            assertEquals(name + "-app", reference.getName(), where + credential[0] + " from the operator's Secret");
            assertEquals(credential[1], reference.getKey());
        }

        // Only the service (and the cluster's own instances and the operator) reach the database.
        Map<String, String> instances = Map.of("cnpg.io/cluster", name);
        NetworkPolicy databasePolicy = resources.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
                .filter(p -> instances.equals(p.getSpec().getPodSelector().getMatchLabels())).findFirst()
                .orElseThrow(() -> new AssertionError(where + "a NetworkPolicy guards the database"));
        List<NetworkPolicyPeer> peers = databasePolicy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> Integer.valueOf(5432).equals(p.getPort().getIntVal())))
                .flatMap(r -> r.getFrom().stream()).toList();
        assertTrue(peers.stream().anyMatch(p -> p.getNamespaceSelector() == null && matches(p.getPodSelector(), podLabels)),
                where + "the service reaches the database");
        assertTrue(peers.stream().allMatch(p -> p.getPodSelector() != null && p.getPodSelector().getMatchLabels() != null
                && !p.getPodSelector().getMatchLabels().isEmpty()), where + "only chosen pods reach PostgreSQL, no whole namespace");
        Predicate<NetworkPolicyPeer> toInstances = p -> p.getPodSelector() != null && instances.equals(p.getPodSelector().getMatchLabels());
        assertTrue(appPolicy.getSpec().getEgress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == 5432))
                .allMatch(r -> r.getTo() != null && !r.getTo().isEmpty() && r.getTo().stream().allMatch(toInstances)),
                where + "the service reaches PostgreSQL on the cluster's instances only");
    }

    /**
     * Backups (docs/backup.md): the WAL archived continuously and a base backup daily, through the Barman Cloud plugin,
     * to an object store whose credentials' Secret docs/backup.md says how to create; a restored cluster reads another
     * folder than the one it writes.
     */
    private static Backups checkBackups(String where, GenericKubernetesResource cluster, List<HasMetadata> resources) throws IOException {
        String name = cluster.getMetadata().getName();
        List<Map<String, Object>> plugins = cluster.get("spec", "plugins");
        assertNotNull(plugins, where + "the database is backed up");
        Map<String, Object> archiver = plugins.stream().filter(p -> Boolean.TRUE.equals(p.get("isWALArchiver"))).findFirst()
                .orElseThrow(() -> new AssertionError(where + "a plugin archives the WAL"));
        assertEquals(BARMAN, archiver.get("name"), where + "the WAL archiver");
        BackupLocation archive = location(where, archiver.get("parameters"), resources);

        List<GenericKubernetesResource> schedules = generic(resources, "ScheduledBackup");
        assertEquals(1, schedules.size(), where + "one ScheduledBackup");
        GenericKubernetesResource schedule = schedules.get(0);
        assertEquals("postgresql.cnpg.io/v1", schedule.getApiVersion());
        assertEquals(name, schedule.get("spec", "cluster", "name"), where + "the ScheduledBackup backs up the cluster");
        assertEquals("plugin", schedule.get("spec", "method"), where + "backups through the plugin");
        assertEquals(BARMAN, schedule.get("spec", "pluginConfiguration", "name"));
        assertEquals("self", schedule.get("spec", "backupOwnerReference"), where + "each Backup is owned by the ScheduledBackup");
        String[] fields = ((String) schedule.get("spec", "schedule")).trim().split("\\s+");
        assertEquals(6, fields.length, where + "CloudNativePG's schedule: seconds first, six fields");
        assertTrue(fields[0].matches("\\d+") && fields[1].matches("\\d+") && fields[2].matches("\\d+")
                && List.of(fields[3], fields[4], fields[5]).equals(List.of("*", "*", "*")), where + "a backup once a day: " + String.join(" ", fields));

        Map<String, Object> recovery = cluster.get("spec", "bootstrap", "recovery");
        if (recovery == null) {
            assertEquals(name, archive.serverName(), where + "a cluster created empty archives under its own name");
            return new Backups(archive, null);
        }
        List<Map<String, Object>> sources = cluster.get("spec", "externalClusters");
        Map<String, Object> source = sources.stream().filter(c -> recovery.get("source").equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(where + "the recovery's source is one of externalClusters"));
        assertEquals(BARMAN, ((Map<?, ?>) source.get("plugin")).get("name"), where + "recovery through the plugin");
        BackupLocation restoredFrom = location(where, ((Map<?, ?>) source.get("plugin")).get("parameters"), resources);
        assertFalse(restoredFrom.equals(archive), where + "a restored cluster never archives into the backups it was restored from");
        return new Backups(archive, restoredFrom);
    }

    /** The folder the plugin's parameters name: the ObjectStore's destination and the server's name. */
    private static BackupLocation location(String where, Object pluginParameters, List<HasMetadata> resources) throws IOException {
        Map<?, ?> parameters = (Map<?, ?>) pluginParameters;
        String storeName = (String) parameters.get("barmanObjectName");
        List<GenericKubernetesResource> stores = generic(resources, "ObjectStore").stream()
                .filter(s -> s.getMetadata().getName().equals(storeName)).toList();
        assertEquals(1, stores.size(), where + "the ObjectStore " + storeName);
        GenericKubernetesResource store = stores.get(0);
        assertEquals("barmancloud.cnpg.io/v1", store.getApiVersion());
        String destination = store.get("spec", "configuration", "destinationPath");
        assertTrue(destination.startsWith("s3://"), where + "an S3-compatible bucket: " + destination);
        assertTrue(((String) store.get("spec", "retentionPolicy")).matches("[1-9][0-9]*[dwm]"), where + "backups expire");
        String howTo = Files.readString(BACKUP);
        for (String credential : List.of("accessKeyId", "secretAccessKey")) {
            String secret = store.get("spec", "configuration", "s3Credentials", credential, "name");
            assertTrue(saysHowToCreate(howTo, secret),
                    where + "docs/backup.md says how to create the Secret " + secret);
        }
        String serverName = (String) parameters.get("serverName");
        assertNotNull(serverName, where + "the server's name in the bucket is named, not left to the cluster's name");
        return new BackupLocation(destination, serverName);
    }

    /** Whether the page has the command that creates the Secret. */
    private static boolean saysHowToCreate(String page, String secret) {
        return Pattern.compile("kubectl (-n \\S+ )?create secret generic " + Pattern.quote(secret) + "\\s").matcher(page).find();
    }

    private static List<GenericKubernetesResource> generic(List<HasMetadata> resources, String kind) {
        return resources.stream().filter(r -> r instanceof GenericKubernetesResource && kind.equals(r.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    private static List<HasMetadata> parse(String yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        List<HasMetadata> resources = new ArrayList<>();
        try (var documents = mapper.readerFor(KubernetesResource.class).<KubernetesResource> readValues(yaml)) {
            while (documents.hasNext()) {
                KubernetesResource resource = documents.next();
                if (resource instanceof HasMetadata object) {
                    if (!(object instanceof GenericKubernetesResource)) {
                        assertNoUnknownFields(object, object.getKind() + " " + object.getMetadata().getName());
                    }
                    resources.add(object);
                } else if (resource != null) {
                    fail("not a Kubernetes object: " + resource);
                }
            }
        }
        return resources;
    }

    /**
     * Kubernetes' model keeps a field it does not know (a misspelled one) in "additionalProperties" instead of
     * failing: none may be there, anywhere in the object.
     */
    private static void assertNoUnknownFields(Object object, String path) {
        if (object instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertNoUnknownFields(list.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertNoUnknownFields(value, path + "." + key));
            return;
        }
        if (object == null || !object.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (java.lang.reflect.Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(object);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertTrue(value == null || ((Map<?, ?>) value).isEmpty(), path + " has fields Kubernetes does not know: " + value);
            } else {
                assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
            }
        }
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name, String where) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), where + "one " + type.getSimpleName() + " named " + name);
        return found.get(0);
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
                && selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static int port(IntOrString port, Map<String, Integer> ports) {
        return port.getIntVal() != null ? port.getIntVal() : Objects.requireNonNull(ports.get(port.getStrVal()), "named port " + port.getStrVal());
    }

    private static boolean allows(List<NetworkPolicyPort> allowed, String portName, Map<String, Integer> ports) {
        return allowed.stream().anyMatch(p -> portName.equals(p.getPort().getStrVal())
                || Objects.equals(ports.get(portName), p.getPort().getIntVal()));
    }

    /** The packaged application's value of a setting that the deployment does not set: application.properties, else the default. */
    private static String setting(String environmentVariable) throws IOException {
        ApplicationSettings.Setting setting = Objects.requireNonNull(ApplicationSettings.byEnvironmentVariable(environmentVariable));
        java.util.Properties properties = ApplicationSettings.applicationProperties();
        return properties.getProperty("%prod." + setting.property(), properties.getProperty(setting.property(), setting.defaultValue()));
    }
}
