package org.jwws.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * S subscribers on one topic, P publishers either as fast as a window of undelivered
 * publications allows (one subscriber, the probe, reports each delivery back to its publisher,
 * so the window bounds what is in flight to the subscribers' node, even across a cluster) or
 * at a fixed rate.
 * End-to-end latency from the send timestamp in the payload; loss, duplicates and order per
 * subscriber and publisher.
 */
final class Fanout {

  static final String SUB = "{\"mode\":\"pub_sub\",\"action\":\"sub\",\"topic\":\"bench\",\"id\":\"s\"}";

  /** @param ratePerPublisher publications per second, 0 for as fast as the window allows */
  record Plan(int subscribers, int publishers, int payloadBytes, int ratePerPublisher, int window,
              long warmupMs, long measureMs) {
  }

  private final Vertx vertx;
  private final Plan plan;
  private final String pad;
  private final LongAdder deliveries = new LongAdder();
  private final Histogram latencyMicros = Measure.latencyHistogram();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private final AtomicLong[] sentPerPublisher;
  private WebSocket[] publisherSockets;
  private volatile boolean measuring;
  private volatile boolean running = true;

  private Fanout(Vertx vertx, Plan plan) {
    this.vertx = vertx;
    this.plan = plan;
    this.pad = "x".repeat(Math.max(0, plan.payloadBytes() - 100));
    this.sentPerPublisher = new AtomicLong[plan.publishers()];
    for (int p = 0; p < plan.publishers(); p++) {
      sentPerPublisher[p] = new AtomicLong();
    }
  }

  /** Subscribers connect to {@code subscriberPort}, publishers to {@code publisherPort}. */
  static Measure run(Vertx vertx, Plan plan, int subscriberPort, int publisherPort, List<ServerProcess> servers) throws Exception {
    return new Fanout(vertx, plan).run(subscriberPort, publisherPort, servers);
  }

  private Measure run(int subscriberPort, int publisherPort, List<ServerProcess> servers) throws Exception {
    Clients subscriberClients = new Clients(vertx, subscriberPort, plan.subscribers());
    Clients publisherClients = new Clients(vertx, publisherPort, plan.publishers());
    List<WebSocket> subscribers = await(subscriberClients.open(plan.subscribers()));
    AtomicInteger acked = new AtomicInteger();
    Promise<Void> allAcked = Promise.promise();
    WebSocket probe = subscribers.get(subscribers.size() - 1);
    for (WebSocket subscriber : subscribers) {
      long[] expected = new long[plan.publishers()];
      boolean isProbe = subscriber == probe;
      subscriber.textMessageHandler(text -> {
        int publisher = delivered(text, expected);
        // acks (no "p") come only before the measurement: looked for only when not a delivery
        if (publisher < 0 && text.contains("\"ack\"")) {
          if (acked.incrementAndGet() == plan.subscribers()) {
            allAcked.tryComplete();
          }
          return;
        }
        if (isProbe && publisher >= 0 && plan.ratePerPublisher() == 0 && running) {
          publish(publisher);
        }
      });
      subscriber.writeTextMessage(SUB);
    }
    await(allAcked.future());
    publisherSockets = await(publisherClients.open(plan.publishers())).toArray(new WebSocket[0]);
    for (int p = 0; p < publisherSockets.length; p++) {
      startPublisher(p);
    }

    Thread.sleep(plan.warmupMs());
    double[] cpuBefore = servers.stream().mapToDouble(ServerProcess::cpuSeconds).toArray();
    double generatorCpuBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
    deliveries.reset();
    latencyMicros.reset();
    long start = System.nanoTime();
    measuring = true;
    Thread.sleep(plan.measureMs());
    measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    long delivered = deliveries.sum();
    double serverCpu = 0;
    for (int i = 0; i < servers.size(); i++) {
      serverCpu += servers.get(i).cpuSeconds() - cpuBefore[i];
    }
    double generatorCpu = Proc.cpuSeconds(ProcessHandle.current().pid()) - generatorCpuBefore;

    // stop, let what is in flight arrive, then count what never did
    running = false;
    long drainUntil = System.currentTimeMillis() + 5_000;
    long target = Arrays.stream(sentPerPublisher).mapToLong(AtomicLong::get).sum() * plan.subscribers();
    while (received.sum() < target && System.currentTimeMillis() < drainUntil) {
      Thread.sleep(50);
    }
    long missing = Math.max(0, target - received.sum());
    await(subscriberClients.close());
    await(publisherClients.close());

    return new Measure()
      .put("deliveries_per_s", delivered / seconds)
      .put("server_cpu_us_per_delivery", delivered == 0 ? Double.NaN : serverCpu / delivered * 1e6)
      .put("server_cpu_s", serverCpu)
      .put("generator_cpu_s", generatorCpu)
      .latencies("latency", latencyMicros)
      .put("lost", lost.sum() + missing)
      .put("duplicated", duplicates.sum())
      .put("out_of_order", outOfOrder.sum());
  }

  private final LongAdder received = new LongAdder();

  /** Runs on the subscriber's event loop: {@code expected} is that subscriber's own. The publisher, or -1. */
  private int delivered(String text, long[] expected) {
    int publisher = (int) Frames.number(text, "\"p\":", -1);
    long seq = Frames.number(text, "\"s\":", -1);
    if (publisher < 0 || publisher >= expected.length || seq < 0) {
      return -1;
    }
    received.increment();
    if (measuring) {
      deliveries.increment();
      Measure.recordMicros(latencyMicros, Frames.number(text, "\"t\":", -1), System.nanoTime());
    }
    if (seq == expected[publisher]) {
      expected[publisher]++;
    } else if (seq > expected[publisher]) {
      lost.add(seq - expected[publisher]);
      outOfOrder.increment();
      expected[publisher] = seq + 1;
    } else {
      duplicates.increment();
    }
    return publisher;
  }

  private void startPublisher(int publisher) {
    if (plan.ratePerPublisher() > 0) {
      long periodMs = Math.max(1, 1000 / plan.ratePerPublisher());
      vertx.setPeriodic(periodMs, id -> {
        if (!running) {
          vertx.cancelTimer(id);
          return;
        }
        publish(publisher);
      });
      return;
    }
    // as fast as the window allows: the probe subscriber sends one more for each delivery
    for (int i = 0; i < plan.window(); i++) {
      publish(publisher);
    }
  }

  private void publish(int publisher) {
    WebSocket ws = publisherSockets[publisher];
    long seq = sentPerPublisher[publisher].getAndIncrement();
    ws.writeTextMessage("{\"mode\":\"pub_sub\",\"action\":\"pub\",\"topic\":\"bench\",\"code\":200,\"msg\":\"\",\"data\":{\"p\":"
      + publisher + ",\"s\":" + seq + ",\"t\":" + System.nanoTime() + ",\"x\":\"" + pad + "\"}}");
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
