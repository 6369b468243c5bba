package io.alvlm.annotate;

import io.alvlm.avro.Label;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;

/**
 * The workbench's metrics (Prometheus names): {@code alvlm_workbench_labels_total{outcome}} labels
 * written, {@code alvlm_workbench_corrections_total}, {@code alvlm_workbench_disagreements_total}
 * (labels whose votes did not all agree) and {@code alvlm_workbench_label_seconds} (time spent per label).
 */
public final class WorkbenchMetrics {
  private final MeterRegistry registry;
  private final Counter corrections;
  private final Counter disagreements;
  private final DistributionSummary seconds;

  public WorkbenchMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry);
    corrections = Counter.builder("alvlm.workbench.corrections").description("Labels that correct an earlier one (undo)")
        .register(registry);
    disagreements = Counter.builder("alvlm.workbench.disagreements")
        .description("Labels whose independent votes disagreed").register(registry);
    seconds = DistributionSummary.builder("alvlm.workbench.label.seconds").description("Annotator time spent per label")
        .register(registry);
  }

  /** A login refused for {@code reason}: unknown-token or throttled. */
  public void loginRefused(String reason) {
    Counter.builder("alvlm.workbench.login.failures").description("Refused workbench logins, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  public void written(Label l) {
    Counter.builder("alvlm.workbench.labels").description("Labels written by the workbench")
        .tag("outcome", l.getOutcome().name().toLowerCase(Locale.ROOT)).register(registry).increment();
    if (l.getCorrection()) {
      corrections.increment();
    }
    if (l.getAgreement() < 1.0) {
      disagreements.increment();
    }
    seconds.record(l.getTimeSpentMs() / 1000.0);
  }
}
