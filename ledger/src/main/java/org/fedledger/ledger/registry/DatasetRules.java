package org.fedledger.ledger.registry;

import java.util.TreeSet;
import java.util.regex.Pattern;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.module.TxFailedException;

/** The well-formedness rules of a RegisterDataset, checked before anything is written. */
final class DatasetRules {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern TERM = Pattern.compile("[\\x21-\\x7e]{1,128}");
  static final int MAX_CONSENT_TERMS = 32;
  static final int MAX_SCHEMA_CHARS = 4096;
  static final int MAX_LICENCE_CHARS = 256;

  private DatasetRules() {}

  static void check(RegisterDataset m) throws TxFailedException {
    requireId(m.getDatasetId());
    if (m.getCommitmentHash().size() != Hash.LENGTH) {
      throw invalid(
          "commitment_hash must be 32 bytes (SHA-256 of the data), got "
              + m.getCommitmentHash().size());
    }
    if (!m.getSchemaHash().isEmpty() && m.getSchemaHash().size() != Hash.LENGTH) {
      throw invalid(
          "schema_hash must be 32 bytes (SHA-256 of the schema's canonical JSON) or absent, got "
              + m.getSchemaHash().size());
    }
    if (m.getSampleCount() <= 0) {
      throw invalid(
          "sample_count must be between 1 and 2^63-1, got "
              + Long.toUnsignedString(m.getSampleCount()));
    }
    if (m.getSchema().length() > MAX_SCHEMA_CHARS) {
      throw invalid("schema is longer than " + MAX_SCHEMA_CHARS + " characters");
    }
    if (m.getLicence().length() > MAX_LICENCE_CHARS) {
      throw invalid("licence is longer than " + MAX_LICENCE_CHARS + " characters");
    }
    if (m.getConsentCount() == 0 || m.getConsentCount() > MAX_CONSENT_TERMS) {
      throw invalid(
          "consent must list 1 to "
              + MAX_CONSENT_TERMS
              + " allowed uses (e.g. \"research\"), got "
              + m.getConsentCount());
    }
    TreeSet<String> seen = new TreeSet<>();
    for (String term : m.getConsentList()) {
      if (!TERM.matcher(term).matches()) {
        throw invalid(
            "consent term '" + term + "' must be 1-128 printable ASCII characters without spaces");
      }
      if (!seen.add(term)) {
        throw invalid("consent term '" + term + "' is listed twice");
      }
    }
    if (m.hasPrivacyBudget()) {
      PrivacyAccounts.checkBudget(m.getPrivacyBudget());
    }
  }

  static void requireId(String id) throws TxFailedException {
    if (!ID.matcher(id).matches()) {
      throw invalid("dataset_id '" + id + "' must be 1-128 characters of [A-Za-z0-9._:-]");
    }
  }

  private static TxFailedException invalid(String message) {
    return new TxFailedException(TxRejection.INVALID_MESSAGE, message);
  }
}
