package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.LabelSpec;
import org.fedledger.learning.data.schema.Missing;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  // age numeric (mean fill), colour one-hot over [blue, red], outcome in [no, yes].
  private static final DatasetSchema CLASSES =
      new DatasetSchema(
          DataFormat.CSV,
          List.of(
              FeatureSpec.numeric("age").withMissing(Missing.MEAN),
              FeatureSpec.categorical("colour", List.of("blue", "red"))),
          LabelSpec.classification("outcome", List.of("no", "yes")),
          List.of(3),
          null,
          List.of("NA"));

  private static final DatasetSchema REGRESSION =
      new DatasetSchema(
          DataFormat.CSV,
          List.of(FeatureSpec.numeric("x").withMissing(Missing.constant("-1"))),
          LabelSpec.regression(List.of("y1", "y2")),
          List.of(1),
          null,
          null);

  private static LabeledData read(String csv, DatasetSchema schema) throws IOException {
    return CsvReader.read(CsvTable.read(new StringReader(csv), "in.csv"), schema);
  }

  private static void assertRefused(String csv, DatasetSchema schema, String... parts) {
    assertThatThrownBy(() -> read(csv, schema))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll(parts);
  }

  @Test
  void readsColumnsByNameWithOneHotCategoriesAndClassNames() throws IOException {
    String csv = "id,outcome, colour ,age\n7,yes,red,31\n\n8, no ,\"blue\",45.5\n9,yes,red,-2e1\n";
    LabeledData data = read(csv, CLASSES);
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.sampleShape()).containsExactly(3);
    assertThat(data.features()).containsExactly(31, 0, 1, 45.5f, 1, 0, -20, 0, 1);
    assertThat(data.labels()).containsExactly(1, 0, 1);
    assertThat(data.classCount()).isEqualTo(2);
  }

  @Test
  void fillsMissingNumbersWithTheColumnMeanOrAConstant() throws IOException {
    LabeledData data =
        read("age,colour,outcome\n10,red,no\n,blue,yes\n20,red,no\nNA,red,no\n", CLASSES);
    assertThat(data.features()).containsExactly(10, 0, 1, 15, 1, 0, 20, 0, 1, 15, 0, 1);
    LabeledData reg = read("x,y1,y2\n1,2,3\n,4,5\n", REGRESSION);
    assertThat(reg.features()).containsExactly(1, -1);
  }

  @Test
  void readsSeveralRegressionTargetsPerRow() throws IOException {
    LabeledData data = read("y2,x,y1\n3,1,2\n-5,4,0.5\n", REGRESSION);
    assertThat(data.isRegression()).isTrue();
    assertThat(data.outputCount()).isEqualTo(2);
    assertThat(data.targets()).containsExactly(2, 3, 0.5f, -5);
    assertThat(data.features()).containsExactly(1, 4);
  }

  @Test
  void quotedFieldsKeepCommasAndQuotes() throws IOException {
    DatasetSchema schema =
        new DatasetSchema(
            DataFormat.CSV,
            List.of(FeatureSpec.categorical("city", List.of("Paris, FR", "say \"hi\""))),
            LabelSpec.classification("y", List.of("a", "b")),
            List.of(2),
            null,
            null);
    LabeledData data = read("city,y\n\"Paris, FR\",a\n\"say \"\"hi\"\"\",b\n", schema);
    assertThat(data.features()).containsExactly(1, 0, 0, 1);
  }

  @Test
  void refusesAFileWithoutTheLabelColumn() {
    assertRefused("age,colour,result\n1,red,no\n", CLASSES, "in.csv:1:", "'outcome'", "label");
  }

  @Test
  void refusesAFileWithoutAFeatureColumn() {
    assertRefused("age,outcome\n1,no\n", CLASSES, "in.csv:1:", "'colour'", "feature");
  }

  @Test
  void refusesARaggedRowAtItsLineAndColumn() {
    assertRefused(
        "age,colour,outcome\n1,red,no\n2,red\n", CLASSES, "in.csv:3:3", "2 fields", "3 columns");
    assertRefused("age,colour,outcome\n1,red,no,extra\n", CLASSES, "in.csv:2:4", "4 fields");
  }

  @Test
  void refusesANonNumericValueInANumericColumn() {
    assertRefused(
        "outcome,age,colour\nno,1,red\nyes,old,red\n",
        CLASSES,
        "in.csv:3:2",
        "'age'",
        "'old' is not a number");
    assertRefused("age,colour,outcome\n1f,red,no\n", CLASSES, "in.csv:2:1", "not a number");
  }

  @Test
  void refusesNanAndInfinity() {
    assertRefused("age,colour,outcome\nNaN,red,no\n", CLASSES, "in.csv:2:1", "not finite");
    assertRefused("age,colour,outcome\n-Infinity,red,no\n", CLASSES, "in.csv:2:1", "not finite");
    assertRefused("x,y1,y2\n1,inf,2\n", REGRESSION, "in.csv:2:2", "'y1'", "not finite");
    assertRefused("age,colour,outcome\n1e39,red,no\n", CLASSES, "in.csv:2:1", "too large");
  }

  @Test
  void refusesAnEmptyFileAndAHeaderWithoutRows() {
    assertRefused("", CLASSES, "in.csv", "empty file");
    assertRefused("\n\n", CLASSES, "in.csv", "empty file");
    assertRefused("age,colour,outcome\n", CLASSES, "in.csv", "no data rows");
  }

  @Test
  void refusesACategoryOutsideTheVocabulary() {
    assertRefused(
        "age,colour,outcome\n1,red,no\n2,green,no\n",
        CLASSES,
        "in.csv:3:2",
        "'green' is not one of the schema's categories [blue, red]");
  }

  @Test
  void refusesAClassOutsideTheSchema() {
    assertRefused(
        "age,colour,outcome\n1,red,maybe\n",
        CLASSES,
        "in.csv:2:3",
        "class 'maybe' is not one of the schema's classes [no, yes]");
  }

  @Test
  void refusesMissingValuesTheSchemaDoesNotFill() {
    assertRefused(
        "age,colour,outcome\n1,,no\n", CLASSES, "in.csv:2:2", "'colour' has no value", "rule");
    assertRefused("age,colour,outcome\n1,red,\n", CLASSES, "in.csv:2:3", "label 'outcome'");
    assertRefused("x,y1,y2\n1,NA2,2\n", REGRESSION, "in.csv:2:2", "not a number");
    assertRefused("age,colour,outcome\n,red,no\n", CLASSES, "no values at all");
  }

  @Test
  void refusesABadHeaderOrQuote() {
    assertRefused("age,,outcome\n1,2,no\n", CLASSES, "in.csv:1:2", "no name");
    assertRefused("age,age,outcome\n1,2,no\n", CLASSES, "in.csv:1:2", "appears twice");
    assertRefused("age,colour,outcome\n1,\"red,no\n", CLASSES, "in.csv:2:2", "never closed");
  }
}
