/** DHCP wire format: dhcp4java behind typed datagrams, option 121, decoder and size-enforcing encoder, traffic counters. */
package lab.dhcp.codec;
