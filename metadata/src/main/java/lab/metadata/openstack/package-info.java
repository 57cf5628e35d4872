/** OpenStack metadata (meta_data.json, network_data.json, vendor data) per version. */
package lab.metadata.openstack;
