package org.jwws.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * C connections each keeping W {@code echo} requests in flight: responses per second,
 * latency, errors by code, and the CPU of the processes that serve them.
 */
final class ReqRes {

  record Plan(int connections, int inFlight, long warmupMs, long measureMs) {
  }

  private final LongAdder responses = new LongAdder();
  private final Histogram latencyMicros = Measure.latencyHistogram();
  private final Map<Long, LongAdder> errorsByCode = new ConcurrentHashMap<>();
  private volatile boolean measuring;
  private volatile boolean running = true;

  static Measure run(Vertx vertx, Plan plan, ServerProcess server) throws Exception {
    return run(vertx, plan, server.port(), List.of(server));
  }

  /** @param servers every process taking part in the answers (a node and its Python handlers): their CPU is the server's */
  static Measure run(Vertx vertx, Plan plan, int port, List<ServerProcess> servers) throws Exception {
    return new ReqRes().measure(vertx, plan, port, servers);
  }

  private Measure measure(Vertx vertx, Plan plan, int port, List<ServerProcess> servers) throws Exception {
    Clients clients = new Clients(vertx, port, plan.connections());
    List<WebSocket> sockets = Fanout.await(clients.open(plan.connections()));
    for (WebSocket ws : sockets) {
      long[] nextId = {0};
      ws.textMessageHandler(text -> {
        if (measuring) {
          responses.increment();
          long now = System.nanoTime();
          Measure.recordMicros(latencyMicros, Frames.number(text, "\"t\":", now), now);
          long code = Frames.number(text, "\"code\":", 200);
          if (code != 200) {
            errorsByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
          }
        }
        if (running) {
          send(ws, nextId);
        }
      });
      ws.exceptionHandler(err -> { });
      for (int i = 0; i < plan.inFlight(); i++) {
        send(ws, nextId);
      }
    }
    Thread.sleep(plan.warmupMs());
    double[] cpuBefore = servers.stream().mapToDouble(ServerProcess::cpuSeconds).toArray();
    double generatorCpuBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
    responses.reset();
    latencyMicros.reset();
    long start = System.nanoTime();
    measuring = true;
    Thread.sleep(plan.measureMs());
    measuring = false;
    running = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    long answered = responses.sum();
    double[] cpu = new double[servers.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = servers.get(i).cpuSeconds() - cpuBefore[i];
    }
    double serverCpu = Arrays.stream(cpu).sum();
    double generatorCpu = Proc.cpuSeconds(ProcessHandle.current().pid()) - generatorCpuBefore;
    Fanout.await(clients.close());
    Measure measure = new Measure()
      .put("responses_per_s", answered / seconds)
      .put("server_cpu_us_per_response", answered == 0 ? Double.NaN : serverCpu / answered * 1e6)
      .put("generator_cpu_s", generatorCpu)
      .latencies("latency", latencyMicros);
    // cores each process kept busy: one near 1.0 in a single-threaded server is its bottleneck
    for (int i = 0; i < cpu.length; i++) {
      measure.put("cores_" + servers.get(i).name(), cpu[i] / seconds);
    }
    new TreeMap<>(errorsByCode).forEach((code, count) -> measure.put("errors_" + code, count.sum()));
    return measure;
  }

  /** The id is per connection; the send time rides in kwargs, which echo returns. */
  private static void send(WebSocket ws, long[] nextId) {
    ws.writeTextMessage("{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"echo\",\"id\":" + (nextId[0]++)
      + ",\"kwargs\":{\"t\":" + System.nanoTime() + "}}");
  }
}
