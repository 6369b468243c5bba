package io.alvlm.selection;

import java.util.Locale;

/**
 * What a round asks while nothing is labelled yet ({@code query.cold-start}): {@code none} runs the round's
 * strategy as always (CEC then rests on zero-shot entropy alone); {@code typical} picks dense,
 * representative images ({@link TypicalStrategy}); {@code class-guided} takes five typical candidates per
 * slot and balances the picks over the classes by zero-shot assignment ({@link ClassBalancedStrategy}
 * around {@link TypicalStrategy}).
 */
public enum ColdStart {
  NONE, TYPICAL, CLASS_GUIDED;

  /** Typical candidates per budget slot that {@code class-guided} balances. */
  public static final int CANDIDATES = 5;

  public static ColdStart parse(String s) {
    for (ColdStart c : values()) {
      if (c.toString().equals(s.strip().toLowerCase(Locale.ROOT))) return c;
    }
    throw new IllegalArgumentException("query.cold-start=" + s + ": want none, typical or class-guided");
  }

  /** The strategy of a round over {@code pool}: this cold start's while no row is labelled, else {@code regular}. */
  public Strategy strategyFor(PoolView pool, Strategy regular) {
    if (this == NONE || labelled(pool)) return regular;
    return this == TYPICAL ? TypicalStrategy.defaults() : new ClassBalancedStrategy(TypicalStrategy.defaults(), CANDIDATES);
  }

  private static boolean labelled(PoolView pool) {
    for (PoolStatus s : pool.status()) {
      if (s == PoolStatus.LABELED) return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
