/** CloudStack additions to the EC2 tree and the CloudStack password server. */
package lab.metadata.cloudstack;
