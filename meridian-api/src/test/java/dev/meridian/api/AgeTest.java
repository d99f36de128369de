package dev.meridian.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
    "0, 0s",
    "-1, 0s",
    "-5, <invalid>",
    "5, 5s",
    "119, 119s",
    "120, 2m",
    "190, 3m10s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "11100, 3h5m",
    "28800, 8h",
    "172799, 47h",
    "172800, 2d",
    "273600, 3d4h",
    "691200, 8d",
    "63072000, 2y",
    "65664000, 2y30d",
    "315360000, 10y"
  })
  void printsLikeKubectl(long seconds, String expected) {
    assertThat(Age.of(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void readsTheCreationTimestamp() {
    // Given an object created four days and a bit ago
    Instant now = Instant.parse("2026-03-05T12:00:00Z");

    // Then its age counts from its creationTimestamp, and a missing or bad one is unknown
    assertThat(Age.since("2026-03-01T11:00:00Z", now)).isEqualTo("4d1h");
    assertThat(Age.since("", now)).isEqualTo("<unknown>");
    assertThat(Age.since("yesterday", now)).isEqualTo("<unknown>");
  }
}
