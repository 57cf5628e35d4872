package lab.metadata;

/** Which cloud's protocol a metadata request spoke. */
public enum Flavour {
    EC2, CLOUDSTACK, OPENSTACK, NOCLOUD
}
