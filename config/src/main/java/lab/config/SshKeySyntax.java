package lab.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads OpenSSH public keys, {@code <type> <base64> [comment]}: the type must be one sshd accepts for users, and the
 * base64 must decode to a key blob whose first field (RFC 4253 §6.6: uint32 length, then the name) repeats the type,
 * which catches a truncated paste or a key pasted under the wrong type.
 */
final class SshKeySyntax {

    static final List<String> TYPES = List.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    private SshKeySyntax() {
    }

    /** Checks one key and returns it with surrounding blanks trimmed. */
    static String parse(String text) throws InvalidValueException {
        String key = text.strip();
        String[] fields = key.split("[ \\t]+", 3);
        if (key.isEmpty() || fields.length < 2 || key.contains("\n")) {
            throw invalid(text, "expected <type> <base64> [comment] on one line");
        }
        String type = fields[0];
        if (!TYPES.contains(type)) {
            throw invalid(text, "unknown key type " + ConfigProblem.quote(type) + " (expected one of: "
                    + String.join(", ", TYPES) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "the key data is not base64");
        }
        String blobType = blobType(blob);
        if (!type.equals(blobType)) {
            throw invalid(text, "the key data is not a " + type + " key" + (blobType == null ? ""
                    : " (it holds a " + ConfigProblem.quote(blobType) + " key)"));
        }
        return key;
    }

    // The first length-prefixed string of the blob, or null when the blob is too short to hold one.
    private static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        long length = ByteBuffer.wrap(blob).getInt() & 0xFFFF_FFFFL;
        if (length > blob.length - 4) {
            return null;
        }
        String name = new String(blob, 4, (int) length, StandardCharsets.US_ASCII);
        return name.chars().allMatch(c -> c > ' ' && c < 127) ? name : null;
    }

    private static InvalidValueException invalid(String text, String reason) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new InvalidValueException(ConfigProblem.quote(shown) + " is not an SSH public key: " + reason);
    }
}
