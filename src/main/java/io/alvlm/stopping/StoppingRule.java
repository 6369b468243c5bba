package io.alvlm.stopping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Bloodgood and Vijay-Shanker's "stabilizing predictions" with a forecast ({@code query.stop}): after each
 * model, Cohen's kappa of its predictions and the previous model's on the {@link StopSet}, and from
 * {@link GainForecast}'s fit of the changed predictions, the next round's change (the bound on its gain) and
 * how much less it will change than this one ({@code settling}). {@code stable} fires once kappa stayed at or
 * above {@code kappa} for {@code rounds} models in a row and the models have stopped settling: the forecast
 * fall is at most {@code settle}. Kappa alone does not transfer between datasets: retraining from zero-shot
 * with a new seed changes some predictions however many labels there are (3–4 % of the stop set on the
 * Fashion-MNIST features, where kappa levelled off at 0.95; 1–2 % on synthetic features, kappa 0.98).
 * {@code never} computes the same figures and never fires. Plain state: the previous predictions and the
 * curve so far.
 */
public final class StoppingRule {
  public enum Mode {
    NEVER, STABLE;

    public static Mode parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("query.stop=" + s + ": want never or stable");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The rule's settings: {@code query.stop}, {@code .kappa}, {@code .rounds}, {@code .settle}, {@code .set-size}. */
  public record Settings(Mode mode, double kappa, int rounds, double settle, int setSize) {
    public Settings {
      Objects.requireNonNull(mode, "mode");
      if (!(kappa > -1 && kappa <= 1)) throw new IllegalArgumentException("query.stop.kappa=" + kappa + ": want (-1, 1]");
      if (rounds < 1) throw new IllegalArgumentException("query.stop.rounds=" + rounds + ": want at least 1");
      if (!(settle >= 0 && settle <= 1)) throw new IllegalArgumentException("query.stop.settle=" + settle + ": want [0, 1]");
      if (setSize < 1) throw new IllegalArgumentException("query.stop.set-size=" + setSize + ": want at least 1");
    }
  }

  /**
   * One model's reading: the labels it was trained on, kappa and the share of changed predictions against
   * the previous model, the forecast change of the next round (the bound on its gain) and how much less
   * that is than this round's on the fitted curve (NaN both until two models), whether kappa held for the
   * last {@code rounds} models, and whether the rule fired (now or before).
   */
  public record Assessment(int labels, double kappa, double changed, double forecast, double settling, boolean stable,
      boolean fired) {}

  private final Settings settings;
  private final int classes;
  private int[] previous;
  private final List<double[]> curve = new ArrayList<>();
  private int streak;
  private boolean fired;

  /** {@code zeroShot}: the predictions of the model before any label (version 0) on the stop set. */
  public StoppingRule(Settings settings, int classes, int[] zeroShot) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.classes = classes;
    this.previous = zeroShot.clone();
  }

  /** Takes the stop-set predictions of a model trained on {@code labels} labels. */
  public Assessment observe(int labels, int[] predictions) {
    double kappa = CohenKappa.of(previous, predictions, classes);
    double changed = 1 - CohenKappa.agreement(previous, predictions);
    previous = predictions.clone();
    curve.add(new double[] {labels, changed});
    double step = curve.size() >= 2 ? labels - curve.get(curve.size() - 2)[0] : labels;
    double[] n = curve.stream().mapToDouble(p -> p[0]).toArray();
    double[] d = curve.stream().mapToDouble(p -> p[1]).toArray();
    GainForecast.Fit fit = GainForecast.fit(n, d);
    double forecast = fit == null ? Double.NaN : fit.at(labels + step);
    double settling = fit == null ? Double.NaN : fit.at(labels) - forecast;
    streak = kappa >= settings.kappa() ? streak + 1 : 0;
    boolean stable = streak >= settings.rounds();
    if (settings.mode() == Mode.STABLE && stable && settling <= settings.settle()) fired = true;
    return new Assessment(labels, kappa, changed, forecast, settling, stable, fired);
  }

  /** The rule's state as plain data. */
  public record Snapshot(int[] previous, List<double[]> curve, int streak, boolean fired) {}

  public Snapshot snapshot() {
    return new Snapshot(previous.clone(), List.copyOf(curve), streak, fired);
  }

  /** A rule that goes on from {@code s}. */
  public static StoppingRule restore(Settings settings, int classes, Snapshot s) {
    StoppingRule r = new StoppingRule(settings, classes, s.previous());
    r.curve.addAll(s.curve());
    r.streak = s.streak();
    r.fired = s.fired();
    return r;
  }

  public boolean fired() {
    return fired;
  }

  /** Forgets a firing (an operator resumed rounds, or the pool changed enough); the curve is kept. */
  public void resume() {
    fired = false;
    streak = 0;
  }
}
