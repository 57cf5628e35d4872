package lab.dhcp.codec;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * quicktheories generators of what a DHCP server can be sent: arbitrary bytes, a valid header before generated
 * options (any code, any length, truthful or not, END or not), and the captured real requests under one to six
 * {@link PacketMutation}s. Shown as hex when a property fails.
 */
public final class HostileRequests {

    /** Option codes the decoder or the engine reads, the pad/end markers, overload, and the relay's option. */
    private static final List<Integer> INTERESTING_CODES = List.of(0, 255, 53, 53, 50, 51, 54, 57, 55, 61, 81, 12,
            60, 82, 52, 121);

    private HostileRequests() {
    }

    /** Any of the three kinds below; the mutated captures, closest to what passes, most often. */
    public static Gen<byte[]> anything() {
        return Generate.frequency(List.of(Pair.of(1, arbitraryBytes()), Pair.of(2, headerWithGeneratedOptions()),
                Pair.of(4, mutatedCaptures()))).describedAs(HostileRequests::hex);
    }

    /** 0..1600 bytes of anything: past the 1500-byte limit and below the 240-byte header. */
    public static Gen<byte[]> arbitraryBytes() {
        return Generate.byteArrays(integers().between(0, 1600), anyByte()).describedAs(HostileRequests::hex);
    }

    /** A BOOTREQUEST header from an Ethernet client with the cookie, then options drawn one by one, then padding. */
    public static Gen<byte[]> headerWithGeneratedOptions() {
        Gen<byte[]> fixed = Generate.byteArrays(Generate.constant(236), anyByte());
        // Small byte values half the time, so that an option 53 often carries a real message type (1..8).
        Gen<byte[]> value = Generate.byteArrays(integers().between(0, 8).mix(integers().between(0, 255), 10),
                Generate.bytes((byte) 0, (byte) 9, (byte) 1).mix(anyByte()));
        Gen<byte[]> option = Generate.pick(INTERESTING_CODES).mix(integers().between(1, 254), 30)
                .zip(value, integers().between(-3, 3).mix(Generate.constant(0), 70), HostileRequests::option);
        Gen<byte[]> padding = Generate.byteArrays(integers().between(0, 80), Generate.constant((byte) 0));
        Gen<List<byte[]>> options = lists().of(option).ofSizeBetween(0, 12);
        return fixed.zip(options, Generate.booleans(), padding, (header, chosen, end, pad) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            header[0] = 1;
            header[1] = 1;
            header[2] = 6;
            out.writeBytes(header);
            out.writeBytes(new byte[] {0x63, (byte) 0x82, 0x53, 0x63});
            chosen.forEach(out::writeBytes);
            if (end) {
                out.write(255);
            }
            out.writeBytes(pad);
            return out.toByteArray();
        }).describedAs(HostileRequests::hex);
    }

    /** One of the captures in {@link PacketFixtures#CAPTURED} after one to six mutations. */
    public static Gen<byte[]> mutatedCaptures() {
        Gen<PacketMutation> mutation = Generate.enumValues(PacketMutation.Kind.class)
                .zip(integers().between(0, 4095), integers().between(0, 65535), PacketMutation::new);
        return Generate.pick(PacketFixtures.CAPTURED).map(PacketFixtures::load)
                .zip(lists().of(mutation).ofSizeBetween(1, 6), (packet, mutations) -> {
                    byte[] p = packet;
                    for (PacketMutation m : mutations) {
                        p = m.applyTo(p);
                    }
                    return p;
                }).describedAs(HostileRequests::hex);
    }

    /** An option whose length byte claims {@code value.length + lie} (kept within 0..255) over {@code value}. */
    private static byte[] option(int code, byte[] value, int lie) {
        if (code == 0 || code == 255) {
            return new byte[] {(byte) code};
        }
        byte[] bytes = new byte[2 + value.length];
        bytes[0] = (byte) code;
        bytes[1] = (byte) Math.max(0, Math.min(255, value.length + lie));
        System.arraycopy(value, 0, bytes, 2, value.length);
        return bytes;
    }

    private static Gen<Byte> anyByte() {
        return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    }

    static String hex(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes);
        return bytes.length + " bytes: " + IntStream.range(0, (hex.length() + 63) / 64)
                .mapToObj(i -> hex.substring(i * 64, Math.min(hex.length(), i * 64 + 64)))
                .collect(Collectors.joining(" "));
    }
}
