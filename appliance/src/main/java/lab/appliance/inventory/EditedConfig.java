package lab.appliance.inventory;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import lab.appliance.ConfigFile;
import lab.config.ConfigException;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A config file's text with {@link InventoryChanges} applied, loaded by the same loader and checks as the file
 * itself, so an API edit passes exactly the rules a {@code vms} item in the file would.
 *
 * <p>Steps: compose the file's node tree; drop the {@code vms} items whose MAC was removed or put (the loaded
 * config's {@code vms} list gives each item's MAC, in file order); append each put record as a node; serialise the
 * tree and load the text under the file's own name, so relative template files resolve as before.
 */
public final class EditedConfig {

    private final String fileName;
    private final String text;
    private final ApplianceConfig fileConfig;

    /**
     * @param text       the config file's text
     * @param fileConfig what that text loaded into (the VM items are matched to it by position)
     */
    public EditedConfig(String text, ApplianceConfig fileConfig) {
        this.text = Objects.requireNonNull(text, "text");
        this.fileConfig = Objects.requireNonNull(fileConfig, "fileConfig");
        this.fileName = fileConfig.source().toString();
    }

    public ApplianceConfig fileConfig() {
        return fileConfig;
    }

    /** The YAML path of {@code mac}'s item in the edited document ({@code vms[N]}), if it is there. */
    public Optional<String> pathOf(String mac, InventoryChanges changes) {
        int index = 0;
        for (var vm : fileConfig.vms()) {
            if (!changes.removed().contains(vm.mac()) && !changes.put().containsKey(vm.mac())) {
                index++;
            }
        }
        for (String put : changes.put().keySet()) {
            if (put.equals(mac)) {
                return Optional.of("vms[" + index + "]");
            }
            index++;
        }
        return Optional.empty();
    }

    /** The config with {@code changes} applied, or every problem of the edited document. */
    public ApplianceConfig apply(InventoryChanges changes) throws ConfigException {
        if (changes.put().isEmpty() && changes.removed().isEmpty()) {
            return fileConfig;
        }
        Yaml yaml = new Yaml(new LoaderOptions());
        Node root = yaml.compose(new StringReader(text));
        if (!(root instanceof MappingNode top)) {
            throw new IllegalStateException(fileName + " loaded, so its root is a mapping");
        }
        SequenceNode vms = vmsSequence(top);
        List<Node> kept = new ArrayList<>();
        for (int i = 0; i < vms.getValue().size(); i++) {
            String mac = fileConfig.vms().get(i).mac();
            if (!changes.removed().contains(mac) && !changes.put().containsKey(mac)) {
                kept.add(vms.getValue().get(i));
            }
        }
        for (Map<String, Object> record : changes.put().values()) {
            kept.add(yaml.represent(record));
        }
        vms.getValue().clear();
        vms.getValue().addAll(kept);
        StringWriter edited = new StringWriter();
        new Yaml(new DumperOptions()).serialize(top, edited);
        ApplianceConfig config = ConfigFile.load(fileName, edited.toString());
        return config.withStateDir(fileConfig.stateDir());
    }

    private static SequenceNode vmsSequence(MappingNode top) {
        for (NodeTuple tuple : top.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("vms")
                    && tuple.getValueNode() instanceof SequenceNode sequence) {
                return sequence;
            }
        }
        // No vms (or an empty "vms:"): start a list of our own.
        SequenceNode sequence = new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
        top.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("vms"));
        top.getValue().add(new NodeTuple(new ScalarNode(Tag.STR, "vms", null, null, DumperOptions.ScalarStyle.PLAIN),
                sequence));
        return sequence;
    }

    /** Problems of an edit as the API reports them: paths inside {@code itemPath} made relative to it. */
    public static List<ConfigProblem> relativeTo(String itemPath, List<ConfigProblem> problems) {
        List<ConfigProblem> relative = new ArrayList<>();
        for (ConfigProblem p : problems) {
            String path = p.path();
            if (path.equals(itemPath)) {
                path = "";
            } else if (path.startsWith(itemPath + ".")) {
                path = path.substring(itemPath.length() + 1);
            } else if (path.startsWith(itemPath + "[")) {
                path = path.substring(itemPath.length());
            }
            relative.add(new ConfigProblem(p.file(), p.line(), p.column(), path, p.message()));
        }
        return relative;
    }
}
