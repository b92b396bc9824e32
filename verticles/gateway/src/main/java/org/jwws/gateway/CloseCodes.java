package org.jwws.gateway;

/** The WebSocket close codes the gateway sends (RFC 6455 section 7.4.1). */
final class CloseCodes {

  static final short GOING_AWAY = 1001;
  static final short POLICY = 1008;
  static final short TOO_BIG = 1009;
  static final short TRY_AGAIN_LATER = 1013;

  private CloseCodes() {
  }
}
