package io.alvlm.cli;

import picocli.CommandLine;

/** Reports the build's version from the jar manifest (or "dev" when run from classes). */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Alvlm.class.getPackage().getImplementationVersion();
    return new String[] {"alvlm " + (v == null ? "dev" : v)};
  }
}
