package lab.appliance.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import lab.appliance.ConfigFile;
import lab.appliance.launch.GuestHints;
import lab.appliance.launch.LibvirtLaunchArgs;
import lab.appliance.launch.ProxmoxLaunchArgs;
import lab.appliance.launch.QemuLaunchArgs;
import lab.appliance.launch.VmwareLaunchArgs;
import lab.config.ConfigException;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import lab.config.model.Datasource;
import lab.config.model.DeviceProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code launch-args TARGET --for HYPERVISOR}: what to add to a VM's definition so that stock cloud-init picks the
 * profile's datasource and finds this appliance. Reads the config file only; {@code #} lines are for humans.
 */
@Command(name = "launch-args", mixinStandardHelpOptions = true,
        description = "Print what to add to a VM's hypervisor definition so that stock cloud-init picks its datasource "
                + "and finds this appliance. Lines starting with # are explanations.")
public final class LaunchArgsCommand implements Callable<Integer> {

    /** The hypervisors whose VM definitions launch-args can write. */
    enum Hypervisor { QEMU, LIBVIRT, PROXMOX, VMWARE }

    @Parameters(index = "0", paramLabel = "TARGET",
            description = "A VM's MAC (02:00:00:aa:00:01) or a profile name.")
    String target;

    @Option(names = "--datasource", paramLabel = "D", converter = DatasourceConverter.class,
            description = "cloudstack, ec2, ec2-aws, openstack, nocloud or nocloud-cmdline; default the profile's "
                    + "datasource: key.")
    Datasource datasource;

    @Option(names = "--for", paramLabel = "HYPERVISOR", required = true, converter = HypervisorConverter.class,
            description = "qemu, libvirt, proxmox or vmware.")
    Hypervisor hypervisor;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "/etc/appliance/appliance.yaml",
            description = "The appliance's YAML configuration, default ${DEFAULT-VALUE}.")
    Path configFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApplianceConfig config;
        try {
            config = ConfigFile.load(configFile).config();
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.println("appliance launch-args: " + configFile + " has problems; check-config lists them too");
            return ApplianceCommand.EXIT_CONFIG;
        }
        LaunchTarget resolved;
        try {
            resolved = LaunchTarget.resolve(target, config);
        } catch (LaunchTarget.UnknownTargetException e) {
            err.println("appliance launch-args: " + e.getMessage());
            return ApplianceCommand.EXIT_CONFIG;
        }
        Optional<Datasource> chosen = Optional.ofNullable(datasource)
                .or(() -> resolved.profile().flatMap(DeviceProfile::datasource));
        if (chosen.isEmpty()) {
            err.println("appliance launch-args: no datasource for " + resolved.describe() + ": give --datasource D, "
                    + "or set datasource: on " + resolved.profile()
                    .map(p -> "profile " + p.name() + " in " + configFile)
                    .orElse("a profile of " + configFile + " that this MAC gets") + " (one of: " + keys() + ")");
            return ApplianceCommand.EXIT_CONFIG;
        }
        for (String line : render(config, resolved, chosen.get())) {
            out.println(line);
        }
        return 0;
    }

    private List<String> render(ApplianceConfig config, LaunchTarget resolved, Datasource chosen) {
        String address = config.network().address().getHostAddress();
        GuestHints hints = GuestHints.of(chosen, address, resolved.mac());
        List<String> lines = new ArrayList<>();
        lines.add("# " + resolved.describe() + ": datasource " + chosen.key() + " (cloud-init " + hints.cloudInitName()
                + "), appliance " + address + ", for " + hypervisor.name().toLowerCase(Locale.ROOT));
        lines.add("# Without such a hint ds-identify finds no datasource and cloud-init disables itself for the boot "
                + "(policy notfound=disabled).");
        hints.notes().forEach(note -> lines.add("# " + note));
        boolean linkLocalUser = chosen == Datasource.EC2 || chosen == Datasource.EC2_AWS
                || chosen == Datasource.OPENSTACK;
        if (linkLocalUser && !config.metadata().linkLocal()) {
            lines.add("# Warning: metadata.link-local is false, so the appliance does not answer 169.254.169.254, "
                    + "which this datasource asks.");
        }
        lines.addAll(switch (hypervisor) {
            case QEMU -> QemuLaunchArgs.lines(hints);
            case LIBVIRT -> LibvirtLaunchArgs.lines(hints);
            case PROXMOX -> ProxmoxLaunchArgs.lines(hints);
            case VMWARE -> VmwareLaunchArgs.lines(hints, address);
        });
        return lines;
    }

    private static String keys() {
        return Arrays.stream(Datasource.values()).map(Datasource::key).collect(Collectors.joining(", "));
    }

    /** {@code --datasource}: the config's words, exactly. */
    static final class DatasourceConverter implements ITypeConverter<Datasource> {
        @Override
        public Datasource convert(String value) {
            return Arrays.stream(Datasource.values()).filter(d -> d.key().equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("\"" + value + "\" is not a datasource (expected "
                            + "one of: " + keys() + ")"));
        }
    }

    /** {@code --for}: a hypervisor name in lowercase. */
    static final class HypervisorConverter implements ITypeConverter<Hypervisor> {
        @Override
        public Hypervisor convert(String value) {
            return Arrays.stream(Hypervisor.values()).filter(h -> h.name().toLowerCase(Locale.ROOT).equals(value))
                    .findFirst().orElseThrow(() -> new TypeConversionException("\"" + value + "\" is not a "
                            + "hypervisor (expected one of: qemu, libvirt, proxmox, vmware)"));
        }
    }
}
