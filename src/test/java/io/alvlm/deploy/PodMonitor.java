package io.alvlm.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * The fields of the Prometheus operator's PodMonitor (monitoring.coreos.com/v1) that alvlm uses, as a
 * typed model: parsing with FAIL_ON_UNKNOWN_PROPERTIES rejects a misspelt or unsupported field.
 */
record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
  record Spec(LabelSelector selector, List<Endpoint> podMetricsEndpoints, NamespaceSelector namespaceSelector,
      String jobLabel) {}

  record Endpoint(String port, String path, String interval, String scrapeTimeout, String scheme,
      List<Relabeling> relabelings, List<Relabeling> metricRelabelings) {}

  record Relabeling(List<String> sourceLabels, String separator, String targetLabel, String regex, String replacement,
      String action) {}

  record NamespaceSelector(Boolean any, List<String> matchNames) {}
}
