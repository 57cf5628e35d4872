/** HTTP side of the metadata service: router, request handler, listeners, plain-text responses. */
package lab.metadata.http;
