package org.jwws.shared;

/**
 * What a {@link Backend#publish} future fails with when the process already holds as many
 * publications as it may for remote nodes that have not credited the earlier ones: the
 * publication was not sent and is not kept. See {@link PublishWindows}.
 */
public final class PublicationRefused extends RuntimeException {

  PublicationRefused(String message) {
    super(message, null, false, false);
  }
}
