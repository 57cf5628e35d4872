/** Per-VM boot timelines: DHCP, metadata and cloud-init's own reports, kept per MAC and journalled. */
package lab.appliance.fleet;
