package dev.fashiontrainer.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the trainer's version from the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"fashion-trainer " + (version == null ? "(development build)" : version)};
    }
}
