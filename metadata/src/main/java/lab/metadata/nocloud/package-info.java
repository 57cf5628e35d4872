/** NoCloud-over-HTTP seed: meta-data YAML, user-data, vendor-data. */
package lab.metadata.nocloud;
