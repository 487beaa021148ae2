package org.fedledger.cli.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.simulation.SimulationSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Test accuracy by round as a PNG line chart (round 0 is the initial model). */
final class AccuracyPlot {
  private AccuracyPlot() {}

  static void write(Path png, SimulationSummary summary) throws IOException {
    // Charts render off-screen; never try to open a display.
    System.setProperty("java.awt.headless", "true");
    // A regression is drawn as its test RMSE by round (no initial point: only rounds have it).
    boolean regression = summary.finalMetrics().containsKey("rmse");
    List<Integer> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    if (!regression) {
      x.add(0);
      y.add(summary.initialAccuracy());
    }
    summary
        .rounds()
        .forEach(
            r -> {
              x.add(r.round());
              y.add(regression ? r.metrics().get("rmse") : r.accuracy());
            });
    var c = summary.config();
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(
                String.format(
                    java.util.Locale.ROOT,
                    "%s, %s, %d clients, %s, malicious %.0f%% %s",
                    c.model(),
                    c.strategy(),
                    c.clients(),
                    c.partition(),
                    100 * c.maliciousFraction(),
                    c.maliciousFraction() > 0 ? c.attack() : ""))
            .xAxisTitle("round")
            .yAxisTitle(regression ? "test RMSE" : "test accuracy")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(0.0);
    if (!regression) {
      chart.getStyler().setYAxisMax(1.0);
    }
    chart.addSeries(regression ? "rmse" : "accuracy", x, y).setMarker(SeriesMarkers.CIRCLE);
    String name = png.getFileName().toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(
        chart, png.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
