package org.jwws.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The command-line flags of a node: the last of the config's stores, overriding the config
 * file and the environment.
 */
final class NodeArgs {

  static final String USAGE = String.join("\n",
    "Usage: java -jar jw-gateway.jar [flags]",
    "",
    "Starts a jw-gateway node: the WebSocket gateway and the configured command handlers.",
    "",
    "  --conf FILE            node config (default: conf/node.json if present, else built-in defaults)",
    "  --port N               HTTP/WebSocket port (default 8080; 0 picks a free one)",
    "  --host ADDR            address to listen on (default 0.0.0.0)",
    "  --instances N          gateway event loops (default: number of cores)",
    "  --cluster              join a Hazelcast cluster (default: standalone)",
    "  --cluster-config FILE  Hazelcast XML (default: conf/cluster.xml if present, else built-in)",
    "  --cluster-name NAME    Hazelcast cluster name, overriding the XML",
    "  --cluster-host ADDR    address of this node's event bus (default 127.0.0.1)",
    "  --no-gateway           no HTTP port: a handler-only or backend node",
    "  --no-handlers          skip the handlers of the config",
    "  --bridge-port N        turn the TCP event-bus bridge on, on port N (0: a free one) of",
    "                         bridge.host (default 127.0.0.1): handlers in Python",
    "  --handler CLASS        also deploy this verticle class as a worker (repeatable);",
    "                         CLASS:event-loop deploys it on an event loop, a further :N",
    "                         deploys N instances (CLASS:event-loop:2)",
    "  --help                 this text",
    "",
    "Config: the file, then environment variables, then flags, each overriding the one before.",
    "Environment: JWGW_<KEY> sets a top-level key of the config (JWGW_CLUSTER=true,",
    "JWGW_CLUSTER_NAME, JWGW_EVENT_LOOPS, ...), else a gateway key (JWGW_PORT=8081,",
    "JWGW_REQUEST_TIMEOUT_MS=5000, JWGW_ENABLED=false). JWGW_BRIDGE='{\"port\":7000}' turns the bridge on.",
    "JWGW_LOG_FORMAT=json logs JSON lines instead of text (conf/logback.xml, else the built-in one).");

  /**
   * Where the handlers {@code --handler} adds travel: merging replaces lists, so the additions
   * are kept apart and appended to {@code handlers} once every store is merged.
   */
  static final String ADDED_HANDLERS = "handlers+";

  String confFile;
  boolean help;
  /** The config the flags set, in the shape of the config file. */
  private final JsonObject flags = new JsonObject();

  static NodeArgs parse(String[] args) {
    NodeArgs parsed = new NodeArgs();
    JsonObject flags = parsed.flags;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help":
        case "-h":
          parsed.help = true;
          break;
        case "--conf":
          parsed.confFile = value(args, ++i, flag);
          break;
        case "--port":
          NodeConfig.gateway(flags).put("port", number(value(args, ++i, flag), flag));
          break;
        case "--host":
          NodeConfig.gateway(flags).put("host", value(args, ++i, flag));
          break;
        case "--instances":
          NodeConfig.gateway(flags).put("instances", number(value(args, ++i, flag), flag));
          break;
        case "--cluster":
          flags.put("cluster", true);
          break;
        case "--cluster-config":
          flags.put("clusterConfig", value(args, ++i, flag));
          break;
        case "--cluster-name":
          flags.put("clusterName", value(args, ++i, flag));
          break;
        case "--cluster-host":
          flags.put("clusterHost", value(args, ++i, flag));
          break;
        case "--no-gateway":
          NodeConfig.gateway(flags).put("enabled", false);
          break;
        case "--no-handlers":
          // drops the config's handlers and those of earlier --handler flags
          flags.put("handlers", new JsonArray()).remove(ADDED_HANDLERS);
          break;
        case "--bridge-port":
          NodeConfig.child(flags, "bridge", JsonObject::new).put("enabled", true).put("port", number(value(args, ++i, flag), flag));
          break;
        case "--handler":
          NodeConfig.child(flags, ADDED_HANDLERS, JsonArray::new).add(handlerEntry(value(args, ++i, flag)));
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + flag + " (see --help)");
      }
    }
    return parsed;
  }

  /** What the flags set, to merge over the file and the environment. */
  JsonObject toJson() {
    return flags.copy();
  }

  /** Appends the handlers of {@code --handler} to the merged config's list. */
  static JsonObject addHandlers(JsonObject merged) {
    JsonArray added = (JsonArray) merged.remove(ADDED_HANDLERS);
    if (added != null) {
      NodeConfig.handlers(merged).addAll(added);
    }
    return merged;
  }

  /** {@code CLASS[:event-loop][:INSTANCES]} */
  private static JsonObject handlerEntry(String spec) {
    String[] parts = spec.split(":");
    JsonObject entry = new JsonObject().put("class", parts[0]).put("worker", true);
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].equals("event-loop")) {
        entry.put("worker", false);
      } else {
        entry.put("instances", number(parts[i], "--handler " + spec));
      }
    }
    return entry;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int number(String value, String flag) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, not " + value);
    }
  }
}
