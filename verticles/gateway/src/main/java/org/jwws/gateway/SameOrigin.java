package org.jwws.gateway;

import io.netty.util.NetUtil;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} is the gateway's own page, from the {@code Host} it was
 * sent to. Origin equal to Host is not enough: a page on {@code evil.example} whose name the
 * attacker re-points at this node (DNS rebinding) sends {@code Origin: http://evil.example}
 * and {@code Host: evil.example}, equal, from the attacker's script. So the Host must also be
 * a name no outsider can point here: an IP address, {@code localhost}, or the gateway's
 * configured host. Any other name reaches the gateway's pages only when listed in
 * {@code allowedOrigins}.
 */
final class SameOrigin {

  private SameOrigin() {
  }

  /**
   * @param origin the Origin header (not null)
   * @param host the Host header, or null
   * @param configuredHost the gateway's listen host ({@code 0.0.0.0} and {@code ::} name nothing)
   */
  static boolean check(String origin, String host, String configuredHost) {
    if (host == null) {
      return false;
    }
    String authority;
    try {
      authority = URI.create(origin).getAuthority();
    } catch (IllegalArgumentException badOrigin) {
      return false;
    }
    return authority != null && authority.equalsIgnoreCase(host) && unforgeable(hostName(host), configuredHost);
  }

  private static boolean unforgeable(String name, String configuredHost) {
    if (name.startsWith("[") && name.endsWith("]")) {
      return NetUtil.isValidIpV6Address(name.substring(1, name.length() - 1));
    }
    return NetUtil.isValidIpV4Address(name) || name.equals("localhost") || name.equalsIgnoreCase(configuredHost);
  }

  /** The Host header without its port, lower case; an IPv6 address keeps its brackets. */
  private static String hostName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    int close = name.lastIndexOf(']');
    int colon = name.lastIndexOf(':');
    return colon > close ? name.substring(0, colon) : name;
  }
}
