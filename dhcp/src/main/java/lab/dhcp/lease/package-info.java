/** The durable lease table, the store it writes through, and the journal store (leases.journal in the state dir). */
package lab.dhcp.lease;
