package lab.metadata.http;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One metadata request as the router needs it, free of Netty.
 *
 * @param method   the HTTP method, upper case
 * @param path     the decoded path, starting with {@code /}
 * @param caller   the TCP peer address: the only identity a caller has (forwarding headers are ignored)
 * @param local    the local address the request arrived at (tells 169.254.169.254 from the appliance address)
 * @param token    the {@code X-aws-ec2-metadata-token} header, if sent
 * @param tokenTtl the {@code X-aws-ec2-metadata-token-ttl-seconds} header, if sent
 * @param body     the request body (boot reports), empty for the usual GETs
 * @param callerMac the MAC the kernel's neighbour table holds for the caller; empty when it is not on the link
 * @param forwarded whether the request carried {@code X-Forwarded-For}: a proxy inside the VM relayed it
 */
public record MetadataRequest(String method, String path, InetAddress caller, InetAddress local,
                              Optional<String> token, Optional<String> tokenTtl, byte[] body,
                              Optional<String> callerMac, boolean forwarded) {

    private static final byte[] NO_BODY = new byte[0];

    /** A request without a body. */
    public MetadataRequest(String method, String path, InetAddress caller, InetAddress local,
                           Optional<String> token, Optional<String> tokenTtl) {
        this(method, path, caller, local, token, tokenTtl, NO_BODY);
    }

    /** A request from a caller that is not on the link (no neighbour entry), without forwarding headers. */
    public MetadataRequest(String method, String path, InetAddress caller, InetAddress local,
                           Optional<String> token, Optional<String> tokenTtl, byte[] body) {
        this(method, path, caller, local, token, tokenTtl, body, Optional.empty(), false);
    }

    public MetadataRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(callerMac, "callerMac");
    }
}
