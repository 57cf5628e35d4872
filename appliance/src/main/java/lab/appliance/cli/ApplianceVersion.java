package lab.appliance.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the jar's manifest. */
public final class ApplianceVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ApplianceVersion.class.getPackage().getImplementationVersion();
        return new String[] {"appliance " + (version == null ? "(development build)" : version)};
    }
}
