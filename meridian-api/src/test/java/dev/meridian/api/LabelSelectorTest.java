package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  static final Map<String, String> GOLD_DE = Map.of("tier", "gold", "country", "de");

  @Test
  void matchesEqualityAndSetBasedRequirements() {
    assertThat(LabelSelector.parse("tier=gold").matches(GOLD_DE)).isTrue();
    assertThat(LabelSelector.parse("tier==gold,country!=fr").matches(GOLD_DE)).isTrue();
    assertThat(LabelSelector.parse("country in (de, fr)").matches(GOLD_DE)).isTrue();
    assertThat(LabelSelector.parse("country notin (de,fr)").matches(GOLD_DE)).isFalse();
    assertThat(LabelSelector.parse("tier,!beta").matches(GOLD_DE)).isTrue();
    assertThat(LabelSelector.parse("!tier").matches(GOLD_DE)).isFalse();
    assertThat(LabelSelector.parse("example.com/zone notin (a)").matches(GOLD_DE)).isTrue();
    assertThat(LabelSelector.parse("").matches(GOLD_DE)).isTrue();
  }

  @Test
  void rejectsMalformedSelectorsWithThePosition() {
    for (String bad :
        List.of(
            "tier in gold",
            "tier in ()",
            "=gold",
            "tier=gold,",
            "tier ~ gold",
            "ti er=x",
            "tier=a b",
            "-bad=x")) {
      assertThatThrownBy(() -> LabelSelector.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid label selector");
    }
  }

  @Test
  void readsTheObjectFormWithFieldPaths() throws Exception {
    // Given
    var node =
        ResourceCodec.JSON.readTree(
            "{\"matchLabels\":{\"tier\":\"gold\"},\"matchExpressions\":[{\"key\":\"country\",\"operator\":\"In\",\"values\":[\"de\"]},{\"key\":\"x\",\"operator\":\"Near\"}]}");
    List<FieldError> errors = new ArrayList<>();
    // When
    LabelSelector s = LabelSelector.fromJson(node, "spec.selector", errors);
    // Then
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("spec.selector.matchExpressions[1].operator");
    assertThat(s.matches(GOLD_DE)).isTrue();
    assertThat(s.matches(Map.of("tier", "gold", "country", "fr"))).isFalse();
  }
}
