/** The durable lease table and its append-only journal (leases.journal in the state directory). */
package lab.dhcp.lease;
