package dev.meridian.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.gateway.BackendSelector;
import dev.meridian.gateway.Endpoint;
import dev.meridian.gateway.RequestHead;
import dev.meridian.gateway.Requests;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StickyAndRetryTest {

  @Test
  void theStickyCookieRoundTrips() {
    // Given
    Fleet f =
        Fleet.of(
            "loadBalancing: {locality: None, sessionPersistence: {type: Cookie, cookieName: sid, absoluteTimeout: 1h}}");
    BackendSelector s = f.selector();
    RequestHead first = Requests.head("h", "/");
    Endpoint chosen = s.pick(first, Set.of()).orElseThrow();

    // When
    String setCookie = s.stickyCookie(first, chosen);
    String value = setCookie.substring("sid=".length(), setCookie.indexOf(';'));
    RequestHead again =
        Requests.get("h", "/").header("Cookie", "a=1; sid=" + value + "; b=2").head();

    // Then
    assertThat(setCookie).matches("sid=[0-9a-z]+; Path=/; HttpOnly; Max-Age=3600");
    assertThat(setCookie).doesNotContain("10.0.0");
    for (int i = 0; i < 20; i++) {
      assertThat(s.pick(again, Set.of())).contains(chosen);
    }
    assertThat(s.stickyCookie(again, chosen)).isNull();
  }

  @Test
  void anIneligibleStickyEndpointIsReplacedAndANewCookieIssued() {
    // Given
    Fleet f = Fleet.of("loadBalancing: {locality: None, sessionPersistence: {type: Cookie}}");
    BackendSelector s = f.selector();
    Endpoint chosen = s.pick(Requests.head("h", "/"), Set.of()).orElseThrow();
    String cookie = s.stickyCookie(Requests.head("h", "/"), chosen);
    RequestHead again =
        Requests.get("h", "/").header("Cookie", cookie.substring(0, cookie.indexOf(';'))).head();

    // When
    f.unhealthy(chosen.id());
    Endpoint other = s.pick(again, Set.of()).orElseThrow();

    // Then
    assertThat(cookie).startsWith("meridian-session=").doesNotContain("Max-Age");
    assertThat(other).isNotEqualTo(chosen);
    assertThat(s.stickyCookie(again, other)).startsWith("meridian-session=");
    assertThat(s.stickyCookie(again, other)).isNotEqualTo(cookie);
  }

  @Test
  void aRetryPrefersAnotherClusterThanTheOnesTried() {
    // Given: the client is in eu-west, where eu-west-1 has two endpoints
    Fleet f = Fleet.of("loadBalancing: {locality: PreferClient}");
    f.states.probeLatency(f.endpoint("us-east-1/10.0.1.1:80"), 5_000_000);
    f.states.probeLatency(f.endpoint("ap-south-1/10.0.2.1:80"), 80_000_000);
    BackendSelector s = f.selector();
    Endpoint a = f.endpoint("eu-west-1/10.0.0.1:80");

    // When
    Endpoint retry = s.pick(Requests.head("h", "/"), Set.of(a)).orElseThrow();
    f.unhealthy("us-east-1/10.0.1.1:80", "ap-south-1/10.0.2.1:80");
    Endpoint sameCluster = s.pick(Requests.head("h", "/"), Set.of(a)).orElseThrow();

    // Then
    assertThat(retry.cluster()).isEqualTo("us-east-1");
    assertThat(sameCluster.id()).isEqualTo("eu-west-1/10.0.0.2:80");
  }
}
