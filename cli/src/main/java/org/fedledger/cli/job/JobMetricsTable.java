package org.fedledger.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.fedledger.cli.model.ProtoJsonReader;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;

/**
 * The metrics part of {@code job status}: per round, the central metrics (the aggregator's test
 * set, in its commit) and the federated ones (the sample-weighted mean of the owners' evaluations
 * on their local test splits), classification's accuracy, macro-F1 and AUC or regression's RMSE,
 * MAE and R²; and, for a job that standardizes, its attested statistics.
 */
final class JobMetricsTable {
  private JobMetricsTable() {}

  static void print(Job job, JsonNode body, PrintWriter out) {
    if (job.getSpec().getStandardize()) {
      out.printf(
          "statistics %s%n",
          job.getStatisticsHash().isEmpty()
              ? "being reported (round 0)"
              : "attested " + HexFormat.of().formatHex(job.getStatisticsHash().toByteArray()));
    }
    boolean federated = job.getSpec().getTestFractionPpm() > 0;
    out.println();
    out.printf(
        "round  metrics%s%n",
        federated
            ? String.format(
                Locale.ROOT,
                " (central: sponsor's test set; federated: %d owners' %.1f%% local splits)",
                job.getParticipantsCount(),
                job.getSpec().getTestFractionPpm() / 10_000.0)
            : " (central: sponsor's test set)");
    for (JsonNode r : body.path("rounds")) {
      Round round = ProtoJsonReader.read(r, Round.getDefaultInstance());
      out.printf(
          Locale.ROOT,
          "%5d  central    %s%n",
          round.getRound(),
          text(round.getCommit().getMetricsList()));
      if (federated) {
        out.printf(
            Locale.ROOT,
            "       federated  %s (%d of %d owners)%n",
            text(round.getFederatedMetricsList()),
            round.getEvaluationsCount(),
            round.getSelectedCount());
      }
    }
  }

  /** Metrics as people read them: rates as percentages, errors and losses as numbers. */
  static String text(List<Metric> metrics) {
    if (metrics.isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (Metric m : metrics) {
      String name = m.getName();
      if (name.endsWith("_ppm")) {
        String base = name.substring(0, name.length() - 4);
        parts.add(
            base.equals("accuracy")
                ? String.format(Locale.ROOT, "%s %.2f%%", base, m.getValue() / 10_000.0)
                : String.format(Locale.ROOT, "%s %.4f", base, m.getValue() / 1e6));
      } else if (name.endsWith("_micro")) {
        parts.add(
            String.format(
                Locale.ROOT, "%s %.4f", name.substring(0, name.length() - 6), m.getValue() / 1e6));
      } else {
        parts.add(name + " " + m.getValue());
      }
    }
    return String.join(", ", parts);
  }
}
