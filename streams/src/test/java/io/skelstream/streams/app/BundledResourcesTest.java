package io.skelstream.streams.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.streams.alerts.AlertRule;
import io.skelstream.streams.alerts.AlertRules;

class BundledResourcesTest {

    @Test
    void shouldShipTheBundledModelAndTestSet() {
        assertTrue(BundledResources.present(BundledResources.MODEL), "build with models/bundled/ present");
        assertTrue(BundledResources.present(BundledResources.SYNTHETIC_TEST_SET));
        assertTrue(new io.skelstream.streams.replay.DatasetLoader().bundledTestSet().size() > 10);
    }

    @Test
    void shouldShipDefaultAlertRulesTheRuleLoaderAcceptsForTheBundledModel() throws IOException {
        String json;
        try (InputStream in = BundledResources.open(BundledResources.DEFAULT_ALERT_RULES).orElseThrow()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        AlertRules rules = AlertRules.parse(json, "classpath:" + BundledResources.DEFAULT_ALERT_RULES);
        try (ActionEncoder model = ActionEncoder.open(StartupChecks.modelSource(Optional.empty()),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build())) {
            rules.checkLabels(model.description().labels()); // every rule can fire with the bundled model
        }

        assertEquals(List.of("fall", "reaching-behind", "phone-use"), rules.rules().stream().map(AlertRule::id).toList());
        AlertRule reaching = rules.rules().get(1);
        assertTrue(reaching.hasContinuousCondition() && !reaching.hasCumulativeCondition());
        AlertRule phone = rules.rules().get(2);
        assertTrue(phone.hasCumulativeCondition());
    }
}
