/** Metadata HTTP service that tells each VM who it is, by caller address: EC2, CloudStack, OpenStack and NoCloud trees. */
package lab.metadata;
