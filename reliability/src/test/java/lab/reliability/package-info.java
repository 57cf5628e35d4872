/** Tests that put the packaged appliance under fire: crashes, full disks, hostile input, spoofed callers. */
package lab.reliability;
