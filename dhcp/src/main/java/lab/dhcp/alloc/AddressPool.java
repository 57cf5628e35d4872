package lab.dhcp.alloc;

import java.net.Inet4Address;
import lab.dhcp.Ipv4;

/** An inclusive range of addresses the server may hand out dynamically. */
public record AddressPool(Inet4Address first, Inet4Address last) {

    public AddressPool {
        if (Integer.compareUnsigned(Ipv4.toInt(first), Ipv4.toInt(last)) > 0) {
            throw new IllegalArgumentException("pool start after end: " + first.getHostAddress() + "-" + last.getHostAddress());
        }
    }

    public boolean contains(Inet4Address address) {
        return contains(Ipv4.toInt(address));
    }

    boolean contains(int address) {
        return Integer.compareUnsigned(address, Ipv4.toInt(first)) >= 0
                && Integer.compareUnsigned(address, Ipv4.toInt(last)) <= 0;
    }

    public long size() {
        return Integer.toUnsignedLong(Ipv4.toInt(last)) - Integer.toUnsignedLong(Ipv4.toInt(first)) + 1;
    }

    @Override
    public String toString() {
        return first.getHostAddress() + "-" + last.getHostAddress();
    }
}
