/** The lab DNS server's wiring: its settings from the config, and its names kept in step with the lease table. */
package lab.appliance.dns;
