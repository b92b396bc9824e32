package org.jwws.node;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line flags of a node. They override the config file and the environment.
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
    "  --handler CLASS        also deploy this verticle class as a worker (repeatable);",
    "                         CLASS:event-loop deploys it on an event loop, a further :N",
    "                         deploys N instances (CLASS:event-loop:2)",
    "  --help                 this text",
    "",
    "Environment: JWGW_CLUSTER, JWGW_CLUSTER_NAME, JWGW_CLUSTER_HOST, JWGW_CLUSTER_CONFIG and",
    "JWGW_<GATEWAY_KEY> for every gateway key, e.g. JWGW_PORT=8081, JWGW_REQUEST_TIMEOUT_MS=5000.",
    "JWGW_LOG_FORMAT=json logs JSON lines instead of text (conf/logback.xml, else the built-in one).");

  String confFile;
  boolean help;
  private final List<Runnable> overrides = new ArrayList<>();
  private JsonObject target;

  static NodeArgs parse(String[] args) {
    NodeArgs parsed = new NodeArgs();
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
          int port = number(value(args, ++i, flag), flag);
          parsed.overrides.add(() -> NodeConfig.gateway(parsed.target).put("port", port));
          break;
        case "--host":
          String host = value(args, ++i, flag);
          parsed.overrides.add(() -> NodeConfig.gateway(parsed.target).put("host", host));
          break;
        case "--instances":
          int instances = number(value(args, ++i, flag), flag);
          parsed.overrides.add(() -> NodeConfig.gateway(parsed.target).put("instances", instances));
          break;
        case "--cluster":
          parsed.overrides.add(() -> parsed.target.put("cluster", true));
          break;
        case "--cluster-config":
          parsed.put("clusterConfig", value(args, ++i, flag));
          break;
        case "--cluster-name":
          parsed.put("clusterName", value(args, ++i, flag));
          break;
        case "--cluster-host":
          parsed.put("clusterHost", value(args, ++i, flag));
          break;
        case "--no-gateway":
          parsed.overrides.add(() -> NodeConfig.gateway(parsed.target).put("enabled", false));
          break;
        case "--no-handlers":
          parsed.overrides.add(() -> parsed.target.put("handlers", new io.vertx.core.json.JsonArray()));
          break;
        case "--handler":
          String spec = value(args, ++i, flag);
          parsed.overrides.add(() -> NodeConfig.handlers(parsed.target).add(handlerEntry(spec)));
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + flag + " (see --help)");
      }
    }
    return parsed;
  }

  /** Applies the flags, in the order given, to the loaded config. */
  JsonObject applyTo(JsonObject config) {
    target = config;
    overrides.forEach(Runnable::run);
    return config;
  }

  private void put(String key, String value) {
    overrides.add(() -> target.put(key, value));
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
