package dev.meridian.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests against the {@link SampleFleet}: three simulated clusters (DE, US, IN), the GDPR guardrail
 * allowing DE only, and the namespace {@code shop}; a new hub for each test.
 */
abstract class SampleFleetTest {
  @TempDir Path dir;
  SampleFleet fleet;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = SampleFleet.start(dir, o -> o);
  }

  @AfterEach
  void stopFleet() {
    fleet.close();
  }

  Main.Result run(String... args) {
    return fleet.run(args);
  }

  Main.Result apply(String yaml) throws Exception {
    return fleet.apply(yaml);
  }
}
