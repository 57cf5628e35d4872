/** The DHCP UDP transport: an epoll socket bound to the served interface, its pipeline and handler. */
package lab.dhcp.server;
