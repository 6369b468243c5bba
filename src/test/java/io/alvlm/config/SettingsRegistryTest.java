package io.alvlm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.serde.WireFormat;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsRegistryTest {
  @Test
  void everySettingConstantIsRegisteredOnce() throws IllegalAccessException {
    List<Setting<?>> constants = new ArrayList<>();
    for (Field f : Settings.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && Setting.class.isAssignableFrom(f.getType())) {
        constants.add((Setting<?>) f.get(null));
      }
    }
    assertTrue(constants.size() > 80, "found " + constants.size() + " constants");
    for (Setting<?> s : constants) {
      assertTrue(Settings.all().contains(s), s.key() + " is a constant of Settings but not in Settings.all()");
    }
    Set<String> keys = new HashSet<>();
    Settings.all().forEach(s -> assertTrue(keys.add(s.key()), "key registered twice: " + s.key()));
    assertEquals(constants.size(), Settings.all().size());
  }

  @Test
  void everyDefaultParses() {
    ServiceConfig c = ServiceConfig.defaults();
    Settings.all().forEach(s -> c.get(s));
  }

  @Test
  void aGateOutsideItsValuesFailsAtStartNamingKeyValueAndValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.of(Map.of("train.gate", "sometimes")));
    assertTrue(e.getMessage().contains("train.gate=sometimes: want one of not-worse, always"), e.getMessage());
    assertEquals(TrainGate.ALWAYS, ServiceConfig.of(Map.of("train.gate", "ALWAYS")).get(Settings.TRAIN_GATE));
  }

  @Test
  void enumSettingsListTheirValuesAndParseThem() {
    assertEquals(List.of("all", "embedder", "pool", "trainer"), Settings.ROLE.allowed());
    assertEquals(List.of("exact", "approximate", "auto"), Settings.CEC_NEIGHBORS.allowed());
    assertEquals(List.of("fp32", "fp16", "auto"), Settings.POOL_FEATURES_PRECISION.allowed());
    assertEquals(List.of("auto", "cpu", "gpu"), Settings.COMPUTE_DEVICE.allowed());
    ServiceConfig c = ServiceConfig.of(Map.of("role", "pool", "cec.neighbors", "exact", "pool.features.precision", "fp16",
        "serde.format", "confluent", "schema.registry.url", "http://registry:8081"));
    assertTrue(c.runs(Role.POOL));
    assertTrue(!c.runs(Role.TRAINER));
    assertEquals(NeighborSearch.Mode.EXACT, c.get(Settings.CEC_NEIGHBORS));
    assertEquals(FeaturePrecision.FP16, c.get(Settings.POOL_FEATURES_PRECISION));
    assertEquals(WireFormat.CONFLUENT, c.get(Settings.SERDE_FORMAT));
    for (String bad : List.of("role=everything", "cec.neighbors=faiss", "pool.features.precision=int8", "compute.device=tpu")) {
      String[] kv = bad.split("=");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.of(Map.of(kv[0], kv[1])));
      assertTrue(e.getMessage().contains(bad + ": want one of "), e.getMessage());
    }
  }

  @Test
  void registrySettingsAreListedWithTheirDefaults() {
    String listed = SettingsTable.text();
    for (String key : List.of("schema.registry.url", "schema.registry.retry.deadline.ms", "schema.registry.subject.name.strategy",
        "schema.registry.ssl.truststore.location", "train.gate", "role")) {
      assertTrue(listed.contains(key), key + " missing from --list-settings");
    }
    assertTrue(SettingsTable.markdown("/home/x").contains("| `train.gate` | `ALVLM_TRAIN_GATE` | `not-worse` | `not-worse` \\| `always` |"));
  }

  @Test
  void strategyParametersComeFromTypedSettings() {
    ServiceConfig c = ServiceConfig.of(Map.of("cec.k", "7", "cec.lambda", "0.5", "cec.kmeans.inits", "2", "compute.device", "cpu"));
    var cec = SelectionSettings.cec(c);
    assertEquals(7, cec.k());
    assertEquals(0.5, cec.lambda());
    assertEquals(2, cec.kmeans().inits());
    assertEquals(io.alvlm.selection.Compute.Target.CPU, cec.kmeans().compute().device());
    assertEquals("pcb:cec", SelectionSettings.strategy(ServiceConfig.of(Map.of("query.strategy", "pcb:cec"))).name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SelectionSettings.strategy(ServiceConfig.of(Map.of("query.strategy", "kcenter"))));
    assertTrue(e.getMessage().contains("unknown strategy 'kcenter'"), e.getMessage());
  }
}
