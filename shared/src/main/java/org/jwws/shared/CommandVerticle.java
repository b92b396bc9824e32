package org.jwws.shared;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Base class of command handler verticles. A subclass names its commands in
 * {@link #registerCommands()}:
 * <pre>{@code
 * public class UserCommands extends CommandVerticle {
 *   protected void registerCommands() {
 *     command("add_user", req -> req.ok(users.add(req.kwargs())));
 *   }
 * }
 * }</pre>
 * Each command consumes {@code cmd.<name>}. Deployment completes only once every address is
 * registered (cluster-wide when clustered), so a request sent after it is served. Deploy it as a
 * worker (the default of the node's config) when its handlers block.
 */
public abstract class CommandVerticle extends VerticleBase {

  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private boolean served;
  private Conversations conversations;
  private Backend backend;

  /** Calls {@link #command} once per command this verticle serves. */
  protected abstract void registerCommands();

  /**
   * The {@code src} of this verticle's answers and publications: the config key {@code src},
   * else the simple class name.
   */
  protected String src() {
    return config().getString("src", getClass().getSimpleName());
  }

  /** Publish, broadcast and push from handler code. */
  protected final Backend backend() {
    return backend;
  }

  /** Conversations of this instance still attached to a gateway (for monitoring; 0 when idle). */
  public int attachedConversations() {
    return conversations == null ? 0 : conversations.size();
  }

  /** Serves {@code name} with {@code handler}; call it from {@link #registerCommands()}. */
  protected final void command(String name, CommandHandler handler) {
    if (conversations == null) {
      throw new IllegalStateException("command() is called from registerCommands()");
    }
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException("invalid command name: " + name);
    }
    String src = src();
    names.add(name);
    consumers.add(vertx.eventBus().consumer(Addresses.command(name), message -> invoke(handler, message, src)));
  }

  @Override
  public Future<?> start() throws Exception {
    HandOverCodec.register(vertx);
    backend = Backend.create(vertx, src());
    conversations = new Conversations(vertx);
    registerCommands();
    List<Future<Void>> registered = new ArrayList<>();
    registered.add(conversations.completion());
    consumers.forEach(consumer -> registered.add(consumer.completion()));
    return Future.all(registered).onSuccess(all -> {
      served = true;
      ServedCommands.added(vertx, names);
    });
  }

  @Override
  public Future<?> stop() throws Exception {
    conversations.endAll(EndReason.CLIENT_GONE);
    if (served) {
      ServedCommands.removed(vertx, names);
    }
    return super.stop();
  }

  private void invoke(CommandHandler handler, Message<JsonObject> message, String src) {
    Invocation invocation = new Invocation(vertx, message, src, conversations);
    try {
      handler.handle(invocation);
    } catch (Exception e) {
      invocation.failWith(e);
    }
  }
}
