package io.glimpse.ops.cli;

import picocli.CommandLine.IVersionProvider;

/** The version {@code glimpse --version} prints: the jar's, or "development build" from classes. */
public final class GlimpseVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = GlimpseVersion.class.getPackage().getImplementationVersion();
    return new String[] {"glimpse " + (version == null ? "(development build)" : version)};
  }
}
