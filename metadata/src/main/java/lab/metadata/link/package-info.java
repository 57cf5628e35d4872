/** Who is on the other end of the wire: the kernel's neighbour table, read to check a caller's MAC. */
package lab.metadata.link;
