package org.jwws.gateway;

/** {@link HandlerWorkTest} with every request sent over the event bus (see {@link RequestResponseOverEventBusTest}). */
class HandlerWorkOverEventBusTest extends HandlerWorkTest {

  @Override
  protected GatewayOptions options() {
    return super.options().setLocalCalls(false);
  }
}
