package org.fedledger.bench.learning;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test accuracy of several runs in one PNG. Each series is {@code LABEL=FILE.csv}, where the CSV
 * has a header, its first column is the round (or epoch) and one column is named {@code accuracy}:
 * {@code fedledger simulate}'s rounds.csv and {@link CentralBaseline}'s output both qualify.
 *
 * <pre>
 * LearningPlot OUT.png "TITLE" LABEL=FILE.csv [LABEL=FILE.csv ...]
 * </pre>
 */
public final class LearningPlot {
  private static final String USAGE =
      "LearningPlot OUT.png TITLE LABEL=FILE.csv [LABEL=FILE.csv ...]";

  private LearningPlot() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    if (argv.length < 3) {
      throw new IllegalArgumentException("need an output file, a title and at least one series");
    }
    System.setProperty("java.awt.headless", "true");
    Path png = Path.of(argv[0]);
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(550)
            .title(argv[1])
            .xAxisTitle("round (federated) / epoch (central)")
            .yAxisTitle("test accuracy")
            .build();
    chart.getStyler().setYAxisMax(1.0);
    double lowest = 0.5;
    for (String series : Arrays.copyOfRange(argv, 2, argv.length)) {
      int eq = series.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("series '" + series + "' is not LABEL=FILE.csv");
      }
      List<String> lines =
          Files.readAllLines(Path.of(series.substring(eq + 1)), StandardCharsets.UTF_8);
      if (lines.size() < 2) {
        throw new IllegalArgumentException(series.substring(eq + 1) + " has no data lines");
      }
      int column = Arrays.asList(lines.get(0).split(",")).indexOf("accuracy");
      if (column < 0) {
        throw new IllegalArgumentException(series.substring(eq + 1) + " has no accuracy column");
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",", -1);
        x.add(Double.parseDouble(fields[0]));
        y.add(Double.parseDouble(fields[column]));
        lowest = Math.min(lowest, Math.floor(y.get(y.size() - 1) * 10) / 10);
      }
      chart.addSeries(series.substring(0, eq), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    chart.getStyler().setYAxisMin(lowest);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String name = png.getFileName().toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(
        chart, png.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG);
    System.out.println("wrote " + png);
  }
}
