package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamesTest {
  // the rules as Kubernetes writes them (apimachinery validation)
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  @Test
  void examples() {
    assertThat(Names.isDnsLabel("eu-west-1")).isTrue();
    assertThat(Names.isDnsLabel("eu.west")).isFalse();
    assertThat(Names.isDnsLabel("-eu")).isFalse();
    assertThat(Names.isDnsLabel("a".repeat(64))).isFalse();
    assertThat(Names.isDnsSubdomain("web.shop.example")).isTrue();
    assertThat(Names.isDnsSubdomain("web..shop")).isFalse();
    assertThat(Names.isDnsSubdomain("web.")).isFalse();
    assertThat(Names.isDnsSubdomain("Web")).isFalse();
    assertThat(Names.isQualifiedNamePart("App_1.x")).isTrue();
    assertThat(Names.isQualifiedNamePart("app_")).isFalse();
    assertThat(Names.isQualifiedNamePart("")).isFalse();
    assertThat(LabelSelector.validKey("data.meridian.dev/classification")).isTrue();
    assertThat(LabelSelector.validKey("Data.meridian.dev/x")).isFalse();
    assertThat(LabelSelector.validValue("")).isTrue();
  }

  @Test
  void agreeWithKubernetesRegularExpressionsOnRandomStrings() {
    Random random = new Random(42);
    String alphabet = "aZ0-._/b9";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(8);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      assertThat(Names.isDnsLabel(s)).as(s).isEqualTo(DNS_LABEL.matcher(s).matches());
      assertThat(Names.isDnsSubdomain(s)).as(s).isEqualTo(DNS_SUBDOMAIN.matcher(s).matches());
      assertThat(Names.isQualifiedNamePart(s)).as(s).isEqualTo(QUALIFIED_NAME.matcher(s).matches());
    }
  }
}
