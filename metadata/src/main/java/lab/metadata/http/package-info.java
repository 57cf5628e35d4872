/**
 * HTTP side of the metadata service (router, request handler, listeners, plain-text responses), and the guard every
 * HTTP server of the appliance puts in front of its handler.
 */
package lab.metadata.http;
