package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One real VM of a {@link VmImage}, booted by {@code scripts/vm/boot-vm.sh} under qemu (TCG) on a tap port of the
 * lab's bridge, inside the lab's switch namespace. Its disk is a throw-away overlay in its own directory, its serial
 * console a file there; a reboot inside the VM stays in the same qemu. Reached over SSH from a lab namespace with
 * the key the metadata service gave it.
 */
public final class VirtualMachine implements AutoCloseable {

    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String mac;
    private final Path dir;
    private final BackgroundProcess process;

    private VirtualMachine(String name, String mac, Path dir, BackgroundProcess process) {
        this.name = name;
        this.mac = mac;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Powers a VM on.
     *
     * @param lab        the lab whose bridge the VM's NIC joins (the lab stops the VM after the class at the latest)
     * @param image      the image to boot
     * @param name       a short name, unique in the lab (the tap is {@code t-<name>}, at most 15 characters)
     * @param mac        the NIC's MAC
     * @param launchArgs what {@code appliance launch-args … --for qemu} printed, if anything
     * @param append     more kernel command line words ("" for none)
     */
    public static VirtualMachine boot(NetnsLab lab, VmImage image, String name, String mac, Optional<String> launchArgs,
                                      String append) {
        Objects.requireNonNull(launchArgs, "launchArgs");
        Path dir = lab.newDirectory("vm-" + name);
        List<String> command = new ArrayList<>(List.of("bash",
                Repository.root().resolve("scripts/vm/boot-vm.sh").toString(),
                "--netns", lab.switchNamespace().name(), "--bridge", "br0", "--tap", "t-" + name, "--mac", mac,
                "--image-dir", image.dir().toString(), "--work-dir", dir.toString()));
        if (launchArgs.isPresent()) {
            Path file = dir.resolve("launch-args.txt");
            write(file, launchArgs.get());
            command.addAll(List.of("--launch-args", file.toString()));
        }
        if (!append.isBlank()) {
            command.addAll(List.of("--append", append));
        }
        try {
            BackgroundProcess process = BackgroundProcess.start("vm-" + name, command, dir.resolve("qemu.log"));
            return new VirtualMachine(name, mac, dir, lab.track(process));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start boot-vm.sh for " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String mac() {
        return mac;
    }

    /** Whether qemu still runs (a VM that powered off, or whose qemu failed, has exited). */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The serial console so far (kernel, systemd and cloud-init's console output). */
    public String console() {
        Path console = dir.resolve("console.log");
        try {
            return Files.exists(console) ? new String(Files.readAllBytes(console), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + console, e);
        }
    }

    /** The end of the console and qemu's own output, for a failure message. */
    public String describe() {
        String console = console();
        return "VM " + name + " (" + mac + ", " + dir + ")\n--- qemu ---\n" + process.output()
                + "\n--- console (last 6000 characters) ---\n"
                + console.substring(Math.max(0, console.length() - 6000));
    }

    /**
     * Runs {@code command} in the VM as the image's default user ({@code debian}, the key from the metadata), over
     * SSH from namespace {@code from}.
     */
    public CommandResult ssh(Namespace from, Path key, String ip, String command) {
        return from.exec(SSH_TIMEOUT, List.of("ssh", "-i", key.toString(), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR", "debian@" + ip, command));
    }

    /** Powers the VM off (qemu stopped, its tap removed). */
    @Override
    public void close() {
        process.close();
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
