package lab.config;

import java.util.Objects;

/** Where a node sits in the config document, written the way users name keys: {@code dhcp.reservations[2].ip}. */
public final class YamlPath {

    private static final YamlPath ROOT = new YamlPath("");

    /** What problems about the document as a whole print as their path. */
    static final String ROOT_TEXT = "(root)";

    private final String text;

    private YamlPath(String text) {
        this.text = text;
    }

    /** The path of the whole document. */
    public static YamlPath root() {
        return ROOT;
    }

    /** The path of {@code key} inside the mapping at this path. */
    public YamlPath key(String key) {
        Objects.requireNonNull(key, "key");
        return new YamlPath(text.isEmpty() ? key : text + "." + key);
    }

    /** The path of item {@code index} (0-based, as users see it in messages) of the list at this path. */
    public YamlPath index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative list index " + index);
        }
        return new YamlPath(text + "[" + index + "]");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof YamlPath that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? ROOT_TEXT : text;
    }
}
