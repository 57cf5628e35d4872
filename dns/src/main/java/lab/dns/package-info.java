/**
 * The lab's DNS server: A and PTR records for every leased VM and every fixed address, {@code data-server} for
 * CloudStack's discovery, SOA and NS for the lab zone and its reverse zones, and optional forwarding of every other
 * name. It knows nothing of DHCP: the appliance tells {@link lab.dns.LabNames} of each lease as it changes.
 */
package lab.dns;
