/** Network-namespace test lab: topology, process control inside namespaces, real DHCP client drivers. */
package lab.appliance.netns;
