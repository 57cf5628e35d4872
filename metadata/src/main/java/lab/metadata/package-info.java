/** Metadata HTTP service that tells each VM who it is (EC2, CloudStack, OpenStack, NoCloud); built in the metadata issue. */
package lab.metadata;
