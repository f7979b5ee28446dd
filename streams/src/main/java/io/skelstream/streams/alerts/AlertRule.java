package io.skelstream.streams.alerts;

import io.skelstream.schemas.avro.AlertSeverity;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One alert rule. A track's smoothed prediction on each hop is <em>active</em> for the rule when the highest smoothed
 * probability among the rule's labels reaches {@code minConfidence}. The rule is RAISED when either condition holds:
 * <ul>
 * <li>continuous: active on every hop for at least {@code minDurationMillis}, measured from the start of the first
 *     active window to the end of the current one (e.g. reaching behind for 3 s);</li>
 * <li>cumulative: active for at least {@code cumulativeMillis} in total within the last {@code periodMillis} of
 *     capture time (e.g. phone at the ear 10 s within 30 s); each active hop counts the time since the previous hop.</li>
 * </ul>
 * It is not raised again until {@code cooldownMillis} after its last raise. A raised rule is CLEARED (hysteresis) once
 * the rule's labels stay below {@code clearConfidence} for {@code clearAfterMillis}, or when the track ends.
 *
 * @param id                 unique name, the Alert's rule_id
 * @param labels             model labels the rule watches (any of them)
 * @param severity           copied into the Alert
 * @param minConfidence      smoothed probability at which a hop is active
 * @param minDurationMillis  continuous duration that raises the alert, or 0 when the rule has no continuous condition
 * @param cumulativeMillis   total active time within the period that raises it, or 0 when there is no such condition
 * @param periodMillis       rolling period of the cumulative condition
 * @param cooldownMillis     no new raise within this long after the previous raise
 * @param clearConfidence    the alert clears once the labels stay below this...
 * @param clearAfterMillis   ...for this long (0: at the first hop below it)
 * @param maxEvidence        most observations carried as evidence in one Alert
 */
public record AlertRule(String id, List<String> labels, AlertSeverity severity, double minConfidence,
                        long minDurationMillis, long cumulativeMillis, long periodMillis, long cooldownMillis,
                        double clearConfidence, long clearAfterMillis, int maxEvidence) {

    public AlertRule {
        Objects.requireNonNull(id, "id");
        labels = List.copyOf(labels);
        Objects.requireNonNull(severity, "severity");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is empty");
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels is empty");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1) || !(clearConfidence >= 0 && clearConfidence <= 1)) {
            throw new IllegalArgumentException("min_confidence and clear_confidence must be in [0, 1]");
        }
        if (clearConfidence > minConfidence) {
            throw new IllegalArgumentException("clear_confidence " + clearConfidence + " is above min_confidence "
                    + minConfidence + " (hysteresis needs clear <= raise)");
        }
        if (minDurationMillis < 0 || cumulativeMillis < 0 || periodMillis < 0 || cooldownMillis < 0
                || clearAfterMillis < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (cumulativeMillis > 0 && periodMillis < cumulativeMillis) {
            throw new IllegalArgumentException("cumulative.min_ms " + cumulativeMillis + " cannot fit in period_ms "
                    + periodMillis);
        }
        if (maxEvidence < 1) {
            throw new IllegalArgumentException("max_evidence must be >= 1");
        }
    }

    /** Whether the rule raises on a continuous run (otherwise, or also, on cumulative time). */
    public boolean hasContinuousCondition() {
        return minDurationMillis > 0 || cumulativeMillis == 0;
    }

    public boolean hasCumulativeCondition() {
        return cumulativeMillis > 0;
    }

    /** Labels of the rule the model does not know (a configuration error at start-up). */
    public List<String> unknownLabels(Set<String> modelLabels) {
        return labels.stream().filter(label -> !modelLabels.contains(label)).toList();
    }
}
