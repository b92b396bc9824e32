package org.jwws.gateway;

/**
 * {@link RequestResponseTest} with every request sent over the event bus: the way requests go
 * when their command has servers other than this JVM's handler API instances (another node, a
 * bridge handler), here forced with {@code localCalls: false}.
 */
class RequestResponseOverEventBusTest extends RequestResponseTest {

  @Override
  protected GatewayOptions options() {
    return super.options().setLocalCalls(false);
  }
}
