package dev.meridian.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns separated by at least three spaces, headers first, no trailing blanks: the
 * layout of kubectl's tables. Rows printed later (a watch) keep the widths of the first print.
 */
public final class TextTable {
  static final int GAP = 3;

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  public TextTable add(List<String> row) {
    if (row.size() != headers.size()) {
      throw new IllegalArgumentException(
          "a row has " + row.size() + " cells, the table " + headers.size() + " columns");
    }
    rows.add(row.stream().map(OneLine::safe).toList());
    return this;
  }

  /** The width of each column: its widest cell or header. */
  public int[] widths() {
    int[] w = new int[headers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers.get(i).length();
      for (List<String> row : rows) {
        w[i] = Math.max(w[i], row.get(i).length());
      }
    }
    return w;
  }

  /** Headers and rows, each line ending in a newline. */
  public String render() {
    int[] w = widths();
    StringBuilder b = new StringBuilder();
    b.append(line(headers, w)).append('\n');
    for (List<String> row : rows) {
      b.append(line(row, w)).append('\n');
    }
    return b.toString();
  }

  /** One line laid out on {@code widths}; a cell wider than its column pushes the rest right. */
  public static String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = OneLine.safe(cells.get(i));
      b.append(cell);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(Math.max(widths[i] - cell.length(), 0) + GAP));
      }
    }
    return b.toString().stripTrailing();
  }
}
