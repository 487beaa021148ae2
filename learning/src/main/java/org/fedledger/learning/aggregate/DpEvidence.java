package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.fedledger.learning.tensor.NamedTensor;

/**
 * {@link DpBoundedMean} with per-participant evidence accumulated over rounds, for DP-SGD jobs: a
 * participant whose updates keep pointing against the others' is excluded from then on, with the
 * reason. One round's signal is weak against DP noise, but the noise is fresh every round while a
 * sign-flipper's sign is not.
 *
 * <p>Each round, for each update u_i still in (within the norm bound, not excluded before), its
 * standardized component z_i = ⟨u_i, m_i⟩ / (|m_i|·τ_i), where m_i is the sum of the <em>other</em>
 * such updates of the round and τ_i the per-coordinate noise an honest DP-SGD update of its sample
 * count carries ({@link DpEnvelope#noisePerCoordinate}). m_i does not contain u_i's noise, so that
 * noise enters z_i as exactly a standard normal, whatever the model size. An honest owner's z_i is
 * that normal plus its signal's component along the others' direction, which the strategy assumes
 * is not negative: honest owners, most of the round, push the model roughly the same way. A
 * participant's z are summed over the rounds it takes part in, and it is excluded when the sum
 * falls below {@link EvidenceBound#sumBound}, which an honest owner reaches in any round with
 * probability at most P. The sums live in {@link ServerState} ({@link EvidenceBook}), so a verifier
 * re-runs a round from the state the previous round recorded.
 *
 * <p>It assumes fewer than half of a round's updates are adversarial: it never lets its exclusions
 * reach half of the round's updates within the norm bound (new exclusions then go, strongest
 * evidence first, up to that limit), since a majority that looked adversarial would mean the
 * others' direction itself is not to be trusted. The remaining updates are clamped as {@link
 * DpBoundedMean} clamps them and averaged <em>weighted by sample count</em>: the chain bounds a
 * claimed count only by the dataset's registered one, and a small claim widens the norm bound as
 * 1/n (a claim of 1 record allows hundreds of times an honest update's norm), so an unweighted mean
 * would let a small claim buy a large pull; weighted, the claim shrinks the weight as fast as it
 * widens the bound (n·τ is the same for every n), and each owner's noise counts alike in the mean.
 * Deterministic: the sums of each coordinate run over the updates in client-id order and over the
 * coordinates in model order, in double, on one thread (n·d operations, small against training).
 */
public final class DpEvidence implements Combiner {
  private final DpEnvelope envelope;
  private final double falseAlarm;
  private final DpBoundedMean bounded;

  /**
   * @param envelope what the job's DP-SGD makes of an honest update
   * @param falseAlarm P in (0, 0.5]: the chance that an honest update is rejected for its norm, and
   *     separately that an honest participant is ever excluded for its evidence
   */
  public DpEvidence(DpEnvelope envelope, double falseAlarm) {
    if (!(falseAlarm > 0 && falseAlarm <= 0.5)) {
      throw new IllegalArgumentException(
          "dp-evidence's false-alarm probability must be in (0, 0.5], got " + falseAlarm);
    }
    this.envelope = envelope;
    this.falseAlarm = falseAlarm;
    this.bounded = new DpBoundedMean(envelope, falseAlarm);
  }

  @Override
  public String name() {
    return falseAlarm == DpBoundedMean.DEFAULT_FALSE_REJECT
        ? "dp-evidence"
        : "dp-evidence:" + falseAlarm;
  }

  /** Without a previous round's state: the first round of a job. */
  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    return combine(updates, parallel, ServerState.EMPTY);
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel, ServerState state) {
    int round = Math.toIntExact(state.step() + 1);
    EvidenceBook book = EvidenceBook.read(state);
    DpBoundedMean.NormCheck check = bounded.checkNorms(updates, parallel);
    List<Exclusion> excluded = new ArrayList<>();
    List<ClientUpdate> candidates = new ArrayList<>();
    for (ClientUpdate u : check.kept()) {
      EvidenceBook.Entry e = book.get(u.clientId());
      if (e.excluded()) {
        excluded.add(new Exclusion(u.clientId(), reason(e)));
      } else {
        candidates.add(u);
      }
    }
    // Fewer than half of the round's updates within the norm bound may be left out.
    int room = (check.kept().size() - 1) / 2 - excluded.size();
    if (candidates.size() >= 2) {
      double[] z = standardizedComponents(candidates);
      List<Flag> flags = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        String id = candidates.get(i).clientId();
        EvidenceBook.Entry before = book.get(id);
        EvidenceBook.Entry after =
            new EvidenceBook.Entry((float) (before.sum() + z[i]), before.rounds() + 1, 0);
        book.put(id, after);
        double bound = EvidenceBound.sumBound(after.rounds(), falseAlarm);
        if (after.sum() < bound) {
          flags.add(new Flag(i, after.sum() / StrictMath.sqrt(after.rounds())));
        }
      }
      flags.sort(Comparator.comparingDouble(Flag::strength).thenComparingInt(Flag::index));
      List<Integer> out = new ArrayList<>();
      for (Flag f : flags.subList(0, Math.max(0, Math.min(room, flags.size())))) {
        String id = candidates.get(f.index()).clientId();
        EvidenceBook.Entry e = book.get(id);
        EvidenceBook.Entry now = new EvidenceBook.Entry(e.sum(), e.rounds(), round);
        book.put(id, now);
        excluded.add(new Exclusion(id, reason(now)));
        out.add(f.index());
      }
      List<ClientUpdate> kept = new ArrayList<>(candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        if (!out.contains(i)) {
          kept.add(candidates.get(i));
        }
      }
      candidates = kept;
    }
    excluded.sort(Comparator.comparing(Exclusion::clientId));
    return new Combined(
        bounded.boundedMean(candidates, parallel, updates.get(0).delta()),
        excluded,
        check.rejected(),
        book.toBuffers());
  }

  /** A participant over the bound: its index among the candidates, its sum over √rounds. */
  private record Flag(int index, double strength) {}

  /**
   * z_i for each update: its component along the sum of the others, in units of its own noise's
   * standard deviation τ_i; 0 when the others sum to zero.
   */
  private double[] standardizedComponents(List<ClientUpdate> updates) {
    int n = updates.size();
    double[] dot = new double[n];
    double[] othersSquared = new double[n];
    int tensors = updates.get(0).delta().tensors().size();
    float[][] rows = new float[n][];
    for (int t = 0; t < tensors; t++) {
      for (int i = 0; i < n; i++) {
        NamedTensor tensor = updates.get(i).delta().tensors().get(t);
        rows[i] = tensor.values();
      }
      for (int k = 0; k < rows[0].length; k++) {
        double total = 0;
        for (int i = 0; i < n; i++) {
          total += rows[i][k];
        }
        for (int i = 0; i < n; i++) {
          double others = total - rows[i][k];
          dot[i] += rows[i][k] * others;
          othersSquared[i] += others * others;
        }
      }
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double tau = envelope.noisePerCoordinate(updates.get(i).sampleCount());
      z[i] = othersSquared[i] > 0 ? dot[i] / (StrictMath.sqrt(othersSquared[i]) * tau) : 0;
    }
    return z;
  }

  private String reason(EvidenceBook.Entry e) {
    return String.format(
        Locale.ROOT,
        "since round %d: its summed component along the others' updates, %.4g noise SDs over %d"
            + " rounds, is below %.4g, which an honest owner reaches with probability %.1g",
        e.excludedInRound(),
        e.sum(),
        e.rounds(),
        EvidenceBound.sumBound(e.rounds(), falseAlarm),
        falseAlarm);
  }
}
