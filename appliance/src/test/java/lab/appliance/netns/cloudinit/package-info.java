/** Runs Debian's unmodified cloud-init 22.4 datasources inside lab namespaces against the appliance's metadata service. */
package lab.appliance.netns.cloudinit;
