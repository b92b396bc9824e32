/**
 * The wire plumbing the gateway, the node and the handler API share: event-bus addresses and
 * headers, the envelope's JSON shape, names and globs, the hand-over codec, this JVM's table of
 * held requests and served commands. Not for handler authors: it changes with the gateway.
 * The handler API is {@link org.jwws.shared}.
 */
package org.jwws.shared.internal;
