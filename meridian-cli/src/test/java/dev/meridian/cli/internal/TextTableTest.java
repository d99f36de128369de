package dev.meridian.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void alignsColumnsOnTheWidestCellWithThreeSpacesAndNoTrailingBlanks() {
    // Given a table whose cells are wider and narrower than their headers
    TextTable table =
        new TextTable(List.of("NAME", "READY", "AGE"))
            .add(List.of("eu-west-1", "True", "5s"))
            .add(List.of("us", "Unknown", "3d4h"));

    // When it is rendered
    String text = table.render();

    // Then each column starts where its header does
    assertThat(text)
        .isEqualTo(
            "NAME        READY     AGE\n"
                + "eu-west-1   True      5s\n"
                + "us          Unknown   3d4h\n");
  }

  @Test
  void aLaterRowKeepsTheWidthsAndPushesRightWhenWider() {
    // Given the widths of a first print
    int[] widths = new TextTable(List.of("NAME", "AGE")).add(List.of("a", "1s")).widths();

    // When later rows are laid out on them
    String narrow = TextTable.line(List.of("b", "2s"), widths);
    String wide = TextTable.line(List.of("a-much-longer-name", "2s"), widths);

    // Then a narrow row aligns, a wide one keeps the gap
    assertThat(narrow).isEqualTo("b      2s");
    assertThat(wide).isEqualTo("a-much-longer-name   2s");
  }

  @Test
  void neutralisesLineBreaksAndEscapesInCells() {
    // Given a cell holding a line break and a terminal escape sequence
    TextTable table = new TextTable(List.of("NAME")).add(List.of("evil\nFAKE\u001b[2J"));

    // When it is rendered
    String text = table.render();

    // Then the row stays one line without the escape character
    assertThat(text).isEqualTo("NAME\nevil FAKE?[2J\n");
  }

  @Test
  void refusesARowOfTheWrongLength() {
    TextTable table = new TextTable(List.of("A", "B"));
    assertThatThrownBy(() -> table.add(List.of("only one")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
