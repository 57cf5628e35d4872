/** What a VM's hypervisor must show stock cloud-init so that it picks a datasource, in each hypervisor's spelling. */
package lab.appliance.launch;
