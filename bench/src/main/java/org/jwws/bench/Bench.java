package org.jwws.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The benchmark: the gateway against two peers doing the same work, a bare Vert.x WebSocket
 * server and a Node {@code ws} server, each in a process of its own on 127.0.0.1, rounds
 * alternating (gateway, bare, ws, gateway, bare, ws). Every figure is reported as a ratio
 * gateway / bare and gateway / ws measured in this run. The pyecho scenario measures {@code echo}
 * answered by Python processes through the node's bridge against the gateway's Java {@code echo}.
 * <pre>
 * java -jar bench/target/jw-bench.jar [--quick] [--scenarios fanout,rate,reqres,pyecho,connect,cluster,recovery] [--ws-peer DIR]
 *     [--baseline NAME=JAR ...]
 * </pre>
 * A baseline is the gateway of another build (an earlier commit's fat jar): it runs in the same
 * rounds as the three servers, so that a change is measured before and after in one run.
 */
public final class Bench {

  /**
   * Both servers run with the same JVM flags: these, or JW_BENCH_SERVER_FLAGS instead (plus
   * JW_BENCH_GATEWAY_FLAGS for the gateway alone, e.g. to profile it).
   */
  static final List<String> SERVER_JVM = flags("JW_BENCH_SERVER_FLAGS", List.of("-XX:+UseSerialGC", "-Xms48m", "-Xmx256m", "-Xmn16m"));
  private static final Pattern GATEWAY_READY = Pattern.compile("node ready on ws://[^:]+:(\\d+)/");
  private static final Pattern BARE_READY = Pattern.compile("bare server ready on port (\\d+)");

  private final boolean quick;
  private final Path gatewayJar;
  private final Path benchJar;
  private final Path wsPeer;
  /** Other builds of the gateway by name, in the rounds of the single-node scenarios. */
  private final Map<String, Path> baselines;
  /** clients/python/examples/echo.py, when pyecho runs. */
  private final Path pythonEcho;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final Map<String, Map<String, List<Measure>>> results = new LinkedHashMap<>();
  private Phases phases;

  private Bench(boolean quick, Path gatewayJar, Path benchJar, Path wsPeer, Path pythonEcho, Map<String, Path> baselines) {
    this.quick = quick;
    this.baselines = baselines;
    this.gatewayJar = gatewayJar;
    this.benchJar = benchJar;
    this.wsPeer = wsPeer;
    this.pythonEcho = pythonEcho;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    List<String> scenarios = List.of("fanout", "rate", "reqres", "pyecho", "connect", "cluster", "recovery");
    boolean chosen = false;
    Path gatewayJar = Path.of("verticles/node/target/jw-gateway.jar");
    Path wsPeerDir = Path.of("bench/ws-peer");
    Path pythonClientDir = Path.of("clients/python");
    boolean soak = false;
    double soakMinutes = 15;
    long killEverySeconds = 120;
    Map<String, Path> baselines = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick": quick = true; break;
        case "--scenarios": scenarios = List.of(args[++i].split(",")); chosen = true; break;
        case "--gateway-jar": gatewayJar = Path.of(args[++i]); break;
        case "--ws-peer": wsPeerDir = Path.of(args[++i]); break;
        case "--python-client": pythonClientDir = Path.of(args[++i]); break;
        case "--soak": soak = true; break;
        case "--minutes": soakMinutes = Double.parseDouble(args[++i]); break;
        case "--kill-every-s": killEverySeconds = Long.parseLong(args[++i]); break;
        case "--baseline": baseline(args[++i], baselines); break;
        default:
          System.err.println("usage: java -jar jw-bench.jar [--quick] [--scenarios fanout,rate,reqres,pyecho,connect,cluster,recovery] [--gateway-jar PATH] [--ws-peer DIR] [--python-client DIR] [--baseline NAME=JAR ...]\n"
            + "       java -jar jw-bench.jar --soak [--minutes 15] [--kill-every-s 120] [--gateway-jar PATH]");
          System.exit(2);
      }
    }
    if (!Files.isRegularFile(gatewayJar)) {
      System.err.println("gateway jar not found: " + gatewayJar + " (run mvn -DskipTests package first)");
      System.exit(2);
    }
    Path benchJar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (soak) {
      Vertx soakVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      try {
        Soak.run(soakVertx, Soak.Plan.of(soakMinutes, killEverySeconds), gatewayJar);
      } finally {
        soakVertx.close().toCompletionStage().toCompletableFuture().join();
      }
      System.exit(0);
    }
    Path pythonEcho = null;
    if (scenarios.contains("pyecho")) {
      try {
        pythonEcho = PyEcho.script(pythonClientDir);
      } catch (IllegalStateException missing) {
        if (chosen) {
          System.err.println(missing.getMessage());
          System.exit(2);
        }
        // the default set runs without Python; asking for pyecho does not
        System.err.println("pyecho skipped: " + missing.getMessage());
        scenarios = scenarios.stream().filter(s -> !s.equals("pyecho")).toList();
      }
    }
    Bench bench = new Bench(quick, gatewayJar, benchJar, WsPeer.script(wsPeerDir), pythonEcho, baselines);
    try {
      bench.run(scenarios);
    } finally {
      bench.vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    System.exit(0);
  }

  /** {@code NAME=JAR}: a name of letters, digits and dashes that no server of the bench has, and an existing jar. */
  private static void baseline(String arg, Map<String, Path> baselines) {
    String[] nameAndJar = arg.split("=", 2);
    if (nameAndJar.length != 2 || !nameAndJar[0].matches("[A-Za-z0-9-]{1,30}")
      || List.of("gateway", "bare", "ws").contains(nameAndJar[0]) || nameAndJar[0].endsWith("-history")) {
      System.err.println("--baseline NAME=JAR: NAME of letters, digits and dashes, not gateway, bare or ws: " + arg);
      System.exit(2);
    }
    if (!Files.isRegularFile(Path.of(nameAndJar[1]))) {
      System.err.println("--baseline " + arg + ": jar not found");
      System.exit(2);
    }
    baselines.put(nameAndJar[0], Path.of(nameAndJar[1]));
  }

  private void run(List<String> scenarios) throws Exception {
    System.out.println("machine: " + Machine.describe());
    String loadBefore = Machine.loadAverage();
    System.out.println("load average (1, 5, 15 min) before: " + loadBefore);
    int subscribers = quick ? 200 : 1_000;
    long warmup = quick ? 1_000 : Long.getLong("bench.warmupMs", 3_000);
    // a fresh server's first phase of a scenario also waits for the JIT: on 2 shared cores the
    // gateway's request path measured 6.6-11.9 us per response in round 1 after 3 s, 5.5-6.6 in round 2
    long firstWarmup = quick ? warmup : Long.getLong("bench.firstWarmupMs", 15_000);
    long measureMs = quick ? 3_000 : 10_000;
    int connections = quick ? 1_000 : 10_000;
    try (Phases progress = new Phases(plannedPhases(scenarios, 3 + baselines.size()))) {
      phases = progress;
      runPhases(scenarios, subscribers, new Warmups(firstWarmup, warmup), measureMs, connections);
    }
    String loadAfter = Machine.loadAverage();
    System.out.println("load average (1, 5, 15 min) after: " + loadAfter);
    report(loadBefore, loadAfter);
  }

  /**
   * Two rounds of each scenario against each server; the cluster and recovery scenarios run the
   * gateway only (cluster with a single-node reference in each round); pyecho runs with 1 and
   * 2 Python processes, and the gateway's Java echo (reqres) with it.
   */
  private static int plannedPhases(List<String> scenarios, int servers) {
    int perServer = (int) scenarios.stream().filter(List.of("fanout", "rate", "reqres", "connect")::contains).count();
    boolean javaEchoOnly = scenarios.contains("pyecho") && !scenarios.contains("reqres");
    return 2 * servers * perServer + (scenarios.contains("cluster") ? 2 * 2 : 0) + (scenarios.contains("recovery") ? 2 : 0)
      + (scenarios.contains("pyecho") ? 2 * 2 : 0) + (javaEchoOnly ? 2 : 0);
  }

  /** How long a phase loads its server before measuring: longer in round 1, a scenario's first phase on its server. */
  private record Warmups(long firstMs, long laterMs) {

    long of(int round) {
      return round == 1 ? firstMs : laterMs;
    }
  }

  private void runPhases(List<String> scenarios, int subscribers, Warmups warmups, long measureMs, int connections) throws Exception {
    boolean pyecho = scenarios.contains("pyecho");
    try (Servers servers = new Servers(); PyEcho python = pyecho ? PyEcho.start(vertx, gatewayJar, pythonEcho) : null) {
      ServerProcess gateway = startGateway("gateway", null);
      servers.add(gateway);
      servers.add(startBare());
      servers.add(WsPeer.start(wsPeer));
      for (Map.Entry<String, Path> baseline : baselines.entrySet()) {
        servers.add(startGateway(baseline.getValue(), baseline.getKey(), null));
      }
      for (int round = 1; round <= 2; round++) {
        long warmup = warmups.of(round);
        for (ServerProcess server : servers.all) {
          if (scenarios.contains("fanout")) {
            begin("fanout", server, round);
            record("fanout", server, round, maxRateFanout(subscribers, warmup, measureMs, server, server));
          }
          if (scenarios.contains("rate")) {
            begin("rate", server, round);
            record("rate", server, round, Fanout.run(vertx, new Fanout.Plan(subscribers, 1, 100, 50, 0, warmup, measureMs),
              server.port(), server.port(), List.of(server)));
          }
          // pyecho's reference: the gateway's Java echo in the same rounds
          if (scenarios.contains("reqres") || pyecho && server == gateway) {
            begin("reqres", server, round);
            record("reqres", server, round, ReqRes.run(vertx, new ReqRes.Plan(50, 10, warmup, measureMs), server));
          }
        }
        if (pyecho) {
          for (int processes = 1; processes <= 2; processes++) {
            python.serveWith(processes);
            String side = pythonSide(processes);
            begin("pyecho", side, round);
            record("pyecho", side, round, ReqRes.run(vertx, new ReqRes.Plan(50, 10, warmup, measureMs), python.port(), python.servers()));
          }
        }
      }
    }
    if (scenarios.contains("connect")) {
      // fresh servers: their memory before the connections is their idle footprint
      for (int round = 1; round <= 2; round++) {
        try (ServerProcess gateway = startGateway("gateway", null)) {
          begin("connect", gateway, round);
          record("connect", gateway, round, Connect.run(vertx, connections, gateway));
        }
        try (ServerProcess bare = startBare()) {
          begin("connect", bare, round);
          record("connect", bare, round, Connect.run(vertx, connections, bare));
        }
        try (ServerProcess ws = WsPeer.start(wsPeer)) {
          begin("connect", ws, round);
          record("connect", ws, round, Connect.run(vertx, connections, ws));
        }
        for (Map.Entry<String, Path> baseline : baselines.entrySet()) {
          try (ServerProcess other = startGateway(baseline.getValue(), baseline.getKey(), null)) {
            begin("connect", other, round);
            record("connect", other, round, Connect.run(vertx, connections, other));
          }
        }
      }
    }
    if (scenarios.contains("recovery")) {
      try (ServerProcess gateway = startGateway("gateway-history", null)) {
        for (int round = 1; round <= 2; round++) {
          begin("recovery", gateway, round);
          record("recovery", gateway, round, Recovery.run(vertx, subscribers, 100, gateway));
        }
      }
    }
    if (scenarios.contains("cluster")) {
      String cluster = "jw-bench-" + UUID.randomUUID();
      // its reference in the same rounds: the single-node fan-out of a fresh node, measured just
      // before, not the fanout scenario's minutes earlier (this machine's load drifts more than the target's margin)
      try (ServerProcess single = startGateway("single", null);
           ServerProcess a = startGateway("cluster-A", cluster); ServerProcess b = startGateway("cluster-B", cluster)) {
        for (int round = 1; round <= 2; round++) {
          long warmup = warmups.of(round);
          begin("cluster-single", single, round);
          record("cluster-single", single, round, maxRateFanout(subscribers, warmup, measureMs, single, single));
          begin("cluster", a, round);
          record("cluster", a, round, maxRateFanout(subscribers, warmup, measureMs, a, b));
        }
      }
    }
  }

  /**
   * One publisher as fast as a window of 32 allows, 100 B, to {@code subscribers} on
   * {@code subscribed}; the publisher on {@code publishedTo} (the same server for a single node).
   */
  private Measure maxRateFanout(int subscribers, long warmup, long measureMs, ServerProcess subscribed, ServerProcess publishedTo)
    throws Exception {
    List<ServerProcess> servers = subscribed == publishedTo ? List.of(subscribed) : List.of(subscribed, publishedTo);
    return Fanout.run(vertx, new Fanout.Plan(subscribers, 1, 100, 0, 32, warmup, measureMs), subscribed.port(), publishedTo.port(), servers);
  }

  private ServerProcess startGateway(String name, String cluster) throws Exception {
    return startGateway(gatewayJar, name, cluster);
  }

  /** A gateway node with the built-in commands on every event loop; clustered when {@code cluster} is given. */
  static ServerProcess startGateway(Path gatewayJar, String name, String cluster) throws Exception {
    return startGateway(gatewayJar, name, cluster, Map.of());
  }

  /** @param extraEnv variables set on top of the bench's own (e.g. {@code JWGW_HISTORY}) */
  static ServerProcess startGateway(Path gatewayJar, String name, String cluster, Map<String, String> extraEnv) throws Exception {
    return startNode(gatewayJar, name, cluster, extraEnv,
      List.of("--handler", "org.jwws.handlers.BuiltinCommands:event-loop:" + Runtime.getRuntime().availableProcessors()));
  }

  /** A gateway node with no handlers but those {@code nodeFlags} add (or the bridge they turn on). */
  static ServerProcess startNode(Path gatewayJar, String name, String cluster, Map<String, String> extraEnv, List<String> nodeFlags)
    throws Exception {
    List<String> args = new ArrayList<>(List.of("-jar", gatewayJar.toAbsolutePath().toString(),
      "--host", "127.0.0.1", "--port", "0", "--no-handlers"));
    args.addAll(nodeFlags);
    if (cluster != null) {
      args.addAll(List.of("--cluster", "--cluster-name", cluster));
    }
    // the benchmark's own clients are trusted: lift the per-connection publish rate and the connection cap
    Map<String, String> env = new java.util.HashMap<>(Map.of("JWGW_PUBLISH_RATE", "10000000", "JWGW_PUBLISH_BURST", "10000000",
      "JWGW_MAX_CONNECTIONS", "100000"));
    if (name.endsWith("-history")) {
      // the recovery scenario's topic keeps its last 1,000 publications
      env.put("JWGW_HISTORY", "[{\"topics\": \"" + Recovery.TOPIC + "\", \"size\": 1000}]");
    }
    env.putAll(extraEnv);
    List<String> jvm = new ArrayList<>(SERVER_JVM);
    jvm.addAll(flags("JW_BENCH_GATEWAY_FLAGS", List.of()));
    return ServerProcess.start(name, jvm, args, env, GATEWAY_READY);
  }

  private static List<String> flags(String variable, List<String> otherwise) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? otherwise : List.of(value.trim().split("\\s+"));
  }

  private ServerProcess startBare() throws Exception {
    return ServerProcess.start("bare", SERVER_JVM, List.of("-cp", benchJar.toString(), "org.jwws.bench.BareServer", "0"),
      Map.of(), BARE_READY);
  }

  private void begin(String scenario, ServerProcess server, int round) {
    begin(scenario, side(server), round);
  }

  private void begin(String scenario, String side, int round) {
    phases.begin(scenario + " " + side + " round " + round);
  }

  private static String pythonSide(int processes) {
    return processes == 1 ? "1 process" : processes + " processes";
  }

  private String side(ServerProcess server) {
    if (baselines.containsKey(server.name())) {
      return server.name();
    }
    return server.name().startsWith("bare") ? "bare" : server.name().equals("ws") ? "ws" : "gateway";
  }

  /** The servers of the single-node rounds, stopped together (also when one fails to start). */
  private static final class Servers implements AutoCloseable {
    final List<ServerProcess> all = new ArrayList<>();

    void add(ServerProcess server) {
      all.add(server);
    }

    @Override
    public void close() throws InterruptedException {
      for (ServerProcess server : all) {
        server.close();
      }
    }
  }

  private void record(String scenario, ServerProcess server, int round, Measure measure) {
    record(scenario, side(server), round, measure);
  }

  private void record(String scenario, String side, int round, Measure measure) {
    results.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(side, s -> new ArrayList<>()).add(measure);
    System.out.println("[" + scenario + "] " + side + " round " + round + ": " + brief(measure));
    phases.done();
  }

  private static String brief(Measure measure) {
    StringBuilder text = new StringBuilder();
    measure.values.forEach((name, value) -> {
      if (!name.contains("_p90") && !name.contains("_p999") && !name.contains("_max")) {
        text.append(name).append('=').append(format(value)).append(' ');
      }
    });
    return text.toString().trim();
  }

  /** Mean over the rounds of one side. */
  private double mean(String scenario, String side, String metric) {
    List<Measure> measures = results.getOrDefault(scenario, Map.of()).getOrDefault(side, List.of());
    return measures.stream().mapToDouble(m -> m.get(metric)).average().orElse(Double.NaN);
  }

  private void report(String loadBefore, String loadAfter) {
    List<String[]> rows = new ArrayList<>();
    JsonObject machineReadable = new JsonObject();
    String fanout = "fanout 1 -> " + (quick ? 200 : 1_000) + ", 100 B, max rate";
    addRow(rows, machineReadable, fanout, "deliveries/s", "fanout", "deliveries_per_s",
      ">= 1.0 x bare, >= 1.2 x ws", (bare, ws) -> bare >= 1.0 && ws >= 1.2);
    addRow(rows, machineReadable, "fanout, same", "server CPU us per delivery", "fanout", "server_cpu_us_per_delivery",
      "<= 0.9 x bare", (bare, ws) -> bare <= 0.9);
    addRow(rows, machineReadable, "fanout, 50 publications/s", "p99 latency ms", "rate", "latency_p99_ms",
      "<= 1.5 x bare", (bare, ws) -> bare <= 1.5);
    addRow(rows, machineReadable, "fanout, 50 publications/s", "lost (gateway, absolute)", "rate", "lost",
      "0", (bare, ws) -> mean("rate", "gateway", "lost") == 0);
    addRow(rows, machineReadable, "reqres 50 x 10 in flight, echo", "responses/s", "reqres", "responses_per_s",
      ">= 0.6 x bare, >= 3 x ws", (bare, ws) -> bare >= 0.6 && ws >= 3);
    addRow(rows, machineReadable, "reqres, same", "server CPU us per response", "reqres", "server_cpu_us_per_response",
      "<= 1.6 x bare", (bare, ws) -> bare <= 1.6);
    pythonRows(rows, machineReadable);
    addRow(rows, machineReadable, "connect " + (quick ? 1_000 : 10_000) + " idle", "server RSS KB per connection", "connect",
      "rss_kb_per_connection", "gateway <= 12 KB", (bare, ws) -> mean("connect", "gateway", "rss_kb_per_connection") <= 12);
    double single = mean("fanout", "gateway", "deliveries_per_s");
    addRow(rows, machineReadable, "cluster: publisher on B -> subscribers on A", "deliveries/s vs single node (same rounds)",
      mean("cluster", "gateway", "deliveries_per_s"), mean("cluster-single", "gateway", "deliveries_per_s"), Double.NaN, ">= 0.85",
      (bare, ws) -> bare >= 0.85);
    addRow(rows, machineReadable, "recovery: " + (quick ? 200 : 1_000) + " reconnect with since, 100 missed each", "replayed/s vs live fan-out deliveries/s",
      mean("recovery", "gateway", "replayed_per_s"), single, Double.NaN, ">= 0.5", (bare, ws) -> bare >= 0.5);

    System.out.println();
    StringBuilder header = new StringBuilder("| scenario | metric | gateway | bare Vert.x | Node ws | gateway / bare | gateway / ws | target | met |");
    StringBuilder rule = new StringBuilder("|---|---|---|---|---|---|---|---|---|");
    baselines.keySet().forEach(name -> {
      header.append(' ').append(name).append(" | gateway / ").append(name).append(" |");
      rule.append("---|---|");
    });
    System.out.println(header);
    System.out.println(rule);
    rows.forEach(row -> System.out.println("| " + String.join(" | ", row) + " |"));
    System.out.println();
    System.out.println("details (means over the rounds):");
    results.forEach((scenario, sides) -> sides.forEach((side, measures) -> {
      Map<String, Double> means = new LinkedHashMap<>();
      measures.get(0).values.keySet().forEach(metric -> means.put(metric, mean(scenario, side, metric)));
      System.out.println("  " + scenario + " " + side + ": " + means.entrySet().stream()
        .map(e -> e.getKey() + "=" + format(e.getValue())).reduce((x, y) -> x + " " + y).orElse(""));
    }));
    pythonBusy();
    machineReadable.put("machine", Machine.describe()).put("date", LocalDate.now().toString()).put("quick", quick)
      .put("load_before", loadBefore).put("load_after", loadAfter);
    System.out.println("BENCH_RESULT " + machineReadable.encode());
  }

  /** pyecho against the gateway's Java echo of the same rounds: no target, a measurement. */
  private void pythonRows(List<String[]> rows, JsonObject json) {
    for (int processes = 1; processes <= 2; processes++) {
      String side = pythonSide(processes);
      String label = processes == 1 ? "pyecho: echo in Python through the bridge, " + side + ", 50 x 10 in flight" : "pyecho, " + side;
      addRow(rows, json, label, "responses/s vs Java echo", mean("pyecho", side, "responses_per_s"),
        mean("reqres", "gateway", "responses_per_s"), Double.NaN, "-", null);
      addRow(rows, json, "pyecho, " + side, "server CPU us per response (node + Python) vs Java echo",
        mean("pyecho", side, "server_cpu_us_per_response"), mean("reqres", "gateway", "server_cpu_us_per_response"), Double.NaN, "-", null);
      for (String percentile : List.of("p50", "p99")) {
        String key = "latency_" + percentile + "_ms";
        addRow(rows, json, "pyecho, " + side, percentile + " latency ms vs Java echo", mean("pyecho", side, key),
          mean("reqres", "gateway", key), Double.NaN, "-", null);
      }
    }
  }

  /** How busy each process of pyecho was, and its share of a response: an asyncio process serves on one core at most. */
  private void pythonBusy() {
    results.getOrDefault("pyecho", Map.of()).forEach((side, measures) -> {
      double perSecond = mean("pyecho", side, "responses_per_s");
      String busy = measures.get(0).values.keySet().stream().filter(k -> k.startsWith("cores_"))
        .map(k -> k.substring("cores_".length()) + " " + format(mean("pyecho", side, k)) + " cores ("
          + format(mean("pyecho", side, k) / perSecond * 1e6) + " us per response)")
        .reduce((x, y) -> x + ", " + y).orElse("");
      System.out.println("pyecho " + side + ": " + busy + "; an asyncio Python process uses one core at most");
    });
  }

  /** A row of a scenario all servers ran: the gateway's mean against each peer's, then against each baseline's. */
  private void addRow(List<String[]> rows, JsonObject json, String scenario, String metric, String measured, String key,
                      String target, Met met) {
    double gateway = mean(measured, "gateway", key);
    addRow(rows, json, scenario, metric, gateway, mean(measured, "bare", key), mean(measured, "ws", key), target, met);
    String[] row = rows.remove(rows.size() - 1);
    List<String> cells = new ArrayList<>(List.of(row));
    JsonObject figures = json.getJsonObject(scenario + " / " + metric);
    baselines.keySet().forEach(name -> {
      double other = mean(measured, name, key);
      cells.add(format(other));
      cells.add(format(gateway / other));
      figures.put(name, other).put("ratio_" + name, gateway / other);
    });
    rows.add(cells.toArray(new String[0]));
  }

  /** Whether a row meets its target, from its ratios to the bare server (or reference) and to ws; null: no target. */
  private interface Met {
    boolean test(double ratioToBare, double ratioToWs);
  }

  private static void addRow(List<String[]> rows, JsonObject json, String scenario, String metric, double gateway, double bare,
                             double ws, String target, Met met) {
    double ratio = gateway / bare;
    double ratioWs = gateway / ws;
    Boolean ok = met == null ? null : !Double.isNaN(gateway) && met.test(ratio, ratioWs);
    rows.add(new String[] {scenario, metric, format(gateway), format(bare), format(ws), format(ratio), format(ratioWs), target,
      Double.isNaN(gateway) ? "not run" : ok == null ? "-" : ok ? "yes" : "NO"});
    json.put(scenario + " / " + metric, new JsonObject().put("gateway", gateway).put("bare", bare).put("ws", ws)
      .put("ratio", ratio).put("ratio_ws", ratioWs).put("met", ok));
  }

  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "-";
    }
    if (Math.abs(value) >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }
}
