package io.glimpse.ops;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need an optional Debian package skip where it is missing, except in CI: there {@code
 * GLIMPSE_REQUIRE_DEBIAN_PACKAGES=true} (set by {@code .ci/run}, which installs them) makes a
 * missing package fail the test instead of silently skipping it.
 */
public final class RequiredPackage {
  private RequiredPackage() {}

  /** Skips the test when {@code present} is false, or fails it in CI. */
  public static void assumeInstalled(boolean present, String debianPackage) {
    if (!present && "true".equals(System.getenv("GLIMPSE_REQUIRE_DEBIAN_PACKAGES"))) {
      fail(debianPackage + " is required here: sudo apt-get install " + debianPackage);
    }
    assumeTrue(present, debianPackage + " is not installed");
  }
}
