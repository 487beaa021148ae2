package org.fedledger.ledger.registry;

import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.PrivacyCharge;

/**
 * The registry's privacy-budget events: a DP job's reservation on a dataset, each update it spends,
 * and the release at its end. Each carries what is left of the dataset's budget afterwards, so a
 * reader of the event stream can follow the budget without querying. Epsilon in millionths, delta
 * in parts per trillion, as on chain.
 */
public final class PrivacyEvents {
  public static final String PRIVACY_RESERVED = "PrivacyReserved";
  public static final String PRIVACY_SPENT = "PrivacySpent";
  public static final String PRIVACY_RELEASED = "PrivacyReleased";

  public static final String DATASET_ID = "dataset_id";
  public static final String JOB_ID = "job_id";
  public static final String EPSILON_MICROS = "epsilon_micros";
  public static final String DELTA_PER_TRILLION = "delta_per_trillion";
  public static final String UPDATE = "update";
  public static final String SPENT_EPSILON_MICROS = "spent_epsilon_micros";
  public static final String REMAINING_EPSILON_MICROS = "remaining_epsilon_micros";
  public static final String REMAINING_DELTA_PER_TRILLION = "remaining_delta_per_trillion";

  private PrivacyEvents() {}

  static Event reserved(Dataset d, PrivacyAccount after, Hash job, PrivacyBudget cost) {
    return event(PRIVACY_RESERVED, d, job)
        .addAttributes(attr(EPSILON_MICROS, cost.getEpsilonMicros()))
        .addAttributes(attr(DELTA_PER_TRILLION, cost.getDeltaPerTrillion()))
        .addAllAttributes(remaining(d, after))
        .build();
  }

  static Event spent(Dataset d, PrivacyAccount after, Hash job, long update) {
    PrivacyCharge c = PrivacyAccounts.charge(after, job.toByteString()).orElseThrow();
    return event(PRIVACY_SPENT, d, job)
        .addAttributes(attr(UPDATE, update))
        .addAttributes(attr(SPENT_EPSILON_MICROS, c.getSpentEpsilonMicros()))
        .addAttributes(attr(DELTA_PER_TRILLION, c.getSpentDeltaPerTrillion()))
        .addAllAttributes(remaining(d, after))
        .build();
  }

  static Event released(Dataset d, PrivacyAccount after, Hash job) {
    PrivacyCharge c = PrivacyAccounts.charge(after, job.toByteString()).orElseThrow();
    return event(PRIVACY_RELEASED, d, job)
        .addAttributes(attr(SPENT_EPSILON_MICROS, c.getSpentEpsilonMicros()))
        .addAllAttributes(remaining(d, after))
        .build();
  }

  private static Event.Builder event(String type, Dataset d, Hash job) {
    return Event.newBuilder()
        .setModule(RegistryModule.NAME)
        .setType(type)
        .addAttributes(attr(DATASET_ID, d.getDatasetId()))
        .addAttributes(attr(JOB_ID, job.toHex()));
  }

  private static java.util.List<Attribute> remaining(Dataset d, PrivacyAccount after) {
    PrivacyBudget left = PrivacyAccounts.remaining(d, after);
    return java.util.List.of(
        attr(REMAINING_EPSILON_MICROS, left.getEpsilonMicros()),
        attr(REMAINING_DELTA_PER_TRILLION, left.getDeltaPerTrillion()));
  }

  private static Attribute attr(String key, String value) {
    return Attribute.newBuilder().setKey(key).setValue(value).build();
  }

  private static Attribute attr(String key, long value) {
    return attr(key, Long.toString(value));
  }
}
