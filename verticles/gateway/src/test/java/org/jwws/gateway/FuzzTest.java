package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/**
 * Random and mutated input, bounded in count. A bystander connection watches: it must see
 * nothing but its own traffic, and after every batch the node must still serve it and hold
 * no state of the fuzzing connections. Reproduce a run with {@code -Dfuzz.seed=<seed>}.
 */
class FuzzTest extends GatewayTestBase {

  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final Set<String> MODES = Set.of("req_res", "pub_sub");
  private static final Set<String> ACTIONS = Set.of("res", "ack", "pub");
  private static final List<String> FIELDS = List.of("mode", "action", "command", "topic", "id", "args", "kwargs",
    "src", "code", "msg", "data");

  private final Random random = new Random(SEED);
  private TestClient bystander;

  @Override
  protected GatewayOptions options() {
    // short liveness so abandoned raw sockets are cleaned up quickly, and no topic linger so a
    // session's topics are gone when the next begins
    return super.options().setPingIntervalMs(500).setPongTimeoutMs(500).setTopicLingerMs(0);
  }

  @BeforeEach
  void watch() {
    System.out.println("[fuzz] seed " + SEED);
    bystander = client();
    await(bystander.subscribe("calm"));
  }

  @Test
  void mutatedEnvelopesGetWellFormedAnswersAndHarmNobody() {
    for (int batch = 0; batch < 30; batch++) {
      TestClient fuzzer = client();
      for (int i = 0; i < 60; i++) {
        fuzzer.sendText(random.nextInt(10) == 0 ? garbage() : mutate(validEnvelope()).encode());
      }
      // a final well-formed request: once answered, every earlier frame was processed
      assertEquals(200, await(fuzzer.request("echo", null)).getInteger("code"), "seed " + SEED);
      for (JsonObject frame : fuzzer.pending()) {
        assertWellFormed(frame);
      }
      if (random.nextBoolean()) {
        await(fuzzer.close());
      } else {
        await(fuzzer.socket().close((short) 1000).eventually(() -> Future.succeededFuture()));
      }
      assertNodeClean();
    }
  }

  @Test
  void rawFramesAndAbruptDisconnectsHarmNobody() {
    NetClient net = vertx.createNetClient();
    for (int session = 0; session < 30; session++) {
      NetSocket socket = await(net.connect(gateway.port(), "127.0.0.1"));
      Promise<Void> upgraded = Promise.promise();
      socket.handler(data -> {
        if (data.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101")) {
          upgraded.tryComplete();
        }
      });
      socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      await(upgraded.future());
      int frames = 1 + random.nextInt(20);
      for (int i = 0; i < frames; i++) {
        socket.write(randomFrame());
      }
      // abrupt: no close frame, the TCP connection just goes (sometimes mid-request)
      await(socket.close());
      assertNodeClean();
    }
    await(net.close());
  }

  /**
   * Every frame of the checked-in corpus ({@code fuzz-corpus.txt}: deep nesting, huge numbers,
   * ids of every type, nulls in every field, text that is not UTF-8, ...) gets exactly the
   * answer PROTOCOL.md promises, on one connection that still answers an echo after each;
   * the frames that close it get their close code. Runs whatever the seed.
   */
  @Test
  void fixedCorpusGetsTheAnswersTheProtocolPromises() throws IOException {
    List<CorpusFrame> corpus = CorpusFrame.load("/fuzz-corpus.txt");
    assertTrue(corpus.size() > 50, "the corpus was read: " + corpus.size());
    TestClient client = client();
    int probes = 0;
    for (CorpusFrame frame : corpus) {
      frame.sendTo(client);
      String what = "line " + frame.line + ": " + frame.expected;
      if (frame.closeCode() != null) {
        assertEquals(frame.closeCode(), await(client.closed()), what);
        client = client();
        continue;
      }
      if (!frame.silent()) {
        JsonObject answer = await(client.next());
        assertEquals(frame.expectedAction(), answer.getString("action"), what + " answered " + answer.encode());
        assertEquals(frame.expectedCode(), answer.getInteger("code"), what + " answered " + answer.encode());
        assertWellFormed(answer);
      }
      String probe = "probe-" + (++probes);
      client.send(TestClient.req("echo", probe, null));
      JsonObject echo = await(client.next());
      assertEquals(probe, echo.getValue("id"), what + ": nothing else came back, and the echo after it did: " + echo.encode());
      assertEquals(200, echo.getInteger("code"), what);
    }
    await(client.close());
    assertNodeClean();
  }

  private void assertNodeClean() {
    waitUntil("only the bystander is left (seed " + SEED + ")", () -> {
      GatewayStats stats = gateway.stats();
      return stats.connections() == 1 && stats.openRequests() == 0 && stats.subscriptions() == 1 && stats.topicConsumers() == 1;
    });
    assertEquals(200, await(bystander.request("echo", new JsonObject().put("ok", true))).getInteger("code"));
    assertTrue(bystander.pending().isEmpty(), "the bystander saw only its own traffic: " + bystander.pending());
  }

  private static void assertWellFormed(JsonObject frame) {
    assertTrue(MODES.contains(frame.getString("mode")), frame.encode());
    assertTrue(ACTIONS.contains(frame.getString("action")), frame.encode());
    if (!"pub".equals(frame.getString("action"))) {
      assertTrue(frame.getValue("code") instanceof Integer, frame.encode());
    }
  }

  private JsonObject validEnvelope() {
    String topic = random.nextBoolean() ? "fuzz" : "calm-not";
    switch (random.nextInt(5)) {
      case 0:
        return TestClient.req(pick("echo", "web", "sleep", "progress", "dialogue", "nope"), random.nextInt(5),
          new JsonObject().put("ms", random.nextInt(50)).put("steps", 1 + random.nextInt(3)).put("interval_ms", 5));
      case 1:
        return new JsonObject().put("mode", "req_res").put("action", "cancel").put("id", random.nextInt(5));
      case 2:
        return new JsonObject().put("mode", "pub_sub").put("action", "sub").put("topic", new JsonArray().add(topic)).put("id", "s");
      case 3:
        return new JsonObject().put("mode", "pub_sub").put("action", "unsub").put("topic", topic);
      default:
        return TestClient.pub(topic, randomValue(2)).put("id", random.nextInt(3));
    }
  }

  /** Replaces, removes or adds fields with values of any type. */
  private JsonObject mutate(JsonObject frame) {
    int mutations = random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      String field = FIELDS.get(random.nextInt(FIELDS.size()));
      switch (random.nextInt(3)) {
        case 0:
          frame.remove(field);
          break;
        case 1:
          frame.put(field, randomValue(3));
          break;
        default:
          frame.put(field, hostileValue());
      }
    }
    return frame;
  }

  private Object randomValue(int depth) {
    switch (random.nextInt(depth > 0 ? 8 : 5)) {
      case 0: return null;
      case 1: return random.nextInt();
      case 2: return random.nextDouble() * 1e300;
      case 3: return random.nextBoolean();
      case 4: return randomString(random.nextInt(30));
      case 5: {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(depth - 1));
        }
        return array;
      }
      default: {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.put(randomString(5), randomValue(depth - 1));
        }
        return object;
      }
    }
  }

  private Object hostileValue() {
    switch (random.nextInt(4)) {
      case 0: {
        JsonArray huge = new JsonArray();
        for (int i = 0; i < 2_000; i++) {
          huge.add(i);
        }
        return huge;
      }
      case 1: {
        Object nested = 1;
        for (int i = 0; i < 40; i++) {
          nested = new JsonArray().add(nested);
        }
        return nested;
      }
      case 2:
        return "x".repeat(300);
      default:
        return "名前 \u0000 \uD83D\uDE00 \" \\ ";
    }
  }

  private String garbage() {
    switch (random.nextInt(4)) {
      case 0: return randomString(random.nextInt(100));
      case 1: return validEnvelope().encode().substring(0, 5 + random.nextInt(10));
      case 2: return "[".repeat(100 + random.nextInt(100));
      default: return "{\"mode\":\"req_res\",\"action\":\"req\",\"command\":\"echo\",\"kwargs\":{\"n\":1e" + random.nextInt(400) + "}}";
    }
  }

  private String randomString(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(random.nextInt(3) == 0 ? 0x4e00 + random.nextInt(500) : 0x20 + random.nextInt(0x5e));
    }
    return text.toString();
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  /** One client frame, often broken: bad opcodes, RSV bits, no mask, lying lengths, bad UTF-8. */
  private Buffer randomFrame() {
    byte[] payload;
    int opcode;
    boolean fin = true;
    switch (random.nextInt(10)) {
      case 0: opcode = 0x2; payload = randomBytes(); break;                                   // binary
      case 1: opcode = 0x9; payload = randomBytes(20); break;                                 // ping
      case 2: opcode = 0xA; payload = randomBytes(20); break;                                 // pong
      case 3: opcode = 0x0; payload = "{}".getBytes(StandardCharsets.UTF_8); break;           // stray continuation
      case 4: opcode = 0x1; fin = false; payload = "{\"mode\":".getBytes(StandardCharsets.UTF_8); break; // unfinished
      case 5: opcode = 0x1; payload = new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}; break; // invalid UTF-8
      case 6: opcode = 0x3 + random.nextInt(5); payload = randomBytes(); break;               // reserved opcode
      case 7: opcode = 0x1; payload = TestClient.req("sleep", 1, new JsonObject().put("ms", 5_000)).encode()
        .getBytes(StandardCharsets.UTF_8); break;                                            // mid-request
      default: opcode = 0x1; payload = mutate(validEnvelope()).encode().getBytes(StandardCharsets.UTF_8);
    }
    Buffer frame = Buffer.buffer();
    int rsv = random.nextInt(12) == 0 ? 0x40 : 0;
    frame.appendByte((byte) ((fin ? 0x80 : 0) | rsv | opcode));
    boolean masked = random.nextInt(15) != 0;
    boolean lie = random.nextInt(15) == 0;
    int maskBit = masked ? 0x80 : 0;
    if (lie) {
      frame.appendByte((byte) (maskBit | 127)).appendLong(1L << 40);                         // claims 1 TiB
    } else if (payload.length < 126) {
      frame.appendByte((byte) (maskBit | payload.length));
    } else {
      frame.appendByte((byte) (maskBit | 126)).appendShort((short) payload.length);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    if (masked) {
      frame.appendBytes(mask);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i % 4];
      }
    }
    return frame.appendBytes(payload);
  }

  private byte[] randomBytes() {
    return randomBytes(random.nextInt(200));
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
