package io.skelstream.streams.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.AlertSeverity;
import io.skelstream.streams.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertRulesTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadEveryFieldWithDefaults() throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, """
                {"rules": [
                  // a driver reaching behind for 3 s
                  {"id": "reach", "labels": ["reach"], "severity": "critical", "min_confidence": 0.7,
                   "min_duration_ms": 3000, "cooldown_ms": 10000, "clear_confidence": 0.3, "clear_after_ms": 1000,
                   "max_evidence": 5},
                  {"id": "phone", "labels": ["wave", "reach"], "cumulative": {"min_ms": 10000, "period_ms": 30000}}
                ]}""");

        AlertRules rules = AlertRules.read(file);

        AlertRule reach = rules.rules().get(0);
        assertEquals(new AlertRule("reach", List.of("reach"), AlertSeverity.CRITICAL, 0.7, 3000, 0, 0, 10000, 0.3,
                1000, 5), reach);
        AlertRule phone = rules.rules().get(1);
        assertEquals(AlertSeverity.WARNING, phone.severity());
        assertEquals(0.5, phone.minConfidence());
        assertEquals(0.5, phone.clearConfidence());
        assertEquals(10000, phone.cumulativeMillis());
        assertEquals(30000, phone.periodMillis());
        assertTrue(phone.hasCumulativeCondition());
        assertTrue(!phone.hasContinuousCondition());
        rules.checkLabels(List.of("idle", "wave", "reach", "pair"));
    }

    @Test
    void shouldRejectBadRulesNamingTheSourceRuleAndField() {
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"], \"colour\": 1}]}", "unknown field 'colour'");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": []}]}", "labels must be a non-empty array");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"], \"severity\": \"loud\"}]}", "severity 'loud'");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"], \"min_duration_ms\": -1}]}",
                "min_duration_ms must be a whole number >= 0");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"], \"min_confidence\": 0.5,"
                + " \"clear_confidence\": 0.8}]}", "hysteresis");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"], \"cumulative\": {\"min_ms\": 5000,"
                + " \"period_ms\": 1000}}]}", "cannot fit");
        assertMessage("{\"rules\": [{\"id\": \"a\", \"labels\": [\"x\"]}, {\"id\": \"a\", \"labels\": [\"y\"]}]}",
                "used twice");
        assertMessage("{\"rules\": [", "not valid JSON");
        ConfigException unknownLabel = assertThrows(ConfigException.class, () -> AlertRules.parse(
                "{\"rules\": [{\"id\": \"a\", \"labels\": [\"jump\"]}]}", "f.json").checkLabels(List.of("wave")));
        assertTrue(unknownLabel.getMessage().contains("[jump]"), unknownLabel.getMessage());
    }

    private static void assertMessage(String json, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> AlertRules.parse(json, "rules.json"));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertTrue(error.getMessage().contains("rules.json"), error.getMessage());
    }
}
