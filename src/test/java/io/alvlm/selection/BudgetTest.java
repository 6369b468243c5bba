package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one budget grammar of query.budget, evaluate --budget and demo --budget. */
class BudgetTest {
  @ParameterizedTest(name = "{0} in a pool of {1}, {2} classes: {3} images")
  @CsvSource({
      "30, 3000, 10, 30",
      "1%, 3000, 10, 30",
      "1%, 20, 10, 1",       // a share of a non-empty pool asks for at least one
      "1%, 0, 10, 0",        // nothing to ask for in an empty pool
      "0.5%, 1000, 10, 5",
      "100%, 70, 10, 70",
      "2/class, 3000, 10, 20",
      "' 2 /class ', 3000, 10, 20",
      "' 7 ', 100, 10, 7"})
  void imagesPerRound(String spec, long pool, int classes, int images) {
    assertEquals(images, Budget.parse(spec).images(pool, classes));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {"0", "-3", "0%", "150%", "100.5%", "-1%", "0/class", "0.5", "1.0", "lots", "", "2/klass", "%"})
  void refusedWithTheGrammar(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.parse(spec));
    assertEquals(Budget.GRAMMAR, e.getMessage());
  }

  @Test
  void cumulativeLabelsAsReportsWriteThem() {
    assertEquals("3%", Budget.parse("1%").label(3));
    assertEquals("1.5%", Budget.parse("0.5%").label(3));
    assertEquals("90", Budget.parse("30").label(3));
    assertEquals("6/class", Budget.parse("2/class").label(3));
    assertEquals(OptionalDouble.of(5), Budget.parse("1%").percent(5));
    assertTrue(Budget.parse("30").percent(1).isEmpty());
    assertEquals("2/class", Budget.parse(" 2/class").spec());
  }

  @Test
  void nullIsRefusedLikeAnyOtherBadText() {
    assertThrows(IllegalArgumentException.class, () -> Budget.parse(null));
  }
}
