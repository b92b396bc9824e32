package org.jwws.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jwws.gateway.TestClient.await;

/** The set of members a frame is fanned out to, without a connection: members are plain recipients on event loops. */
@ExtendWith(VertxExtension.class)
class AudienceTest {

  private final Counter kind = new SimpleMeterRegistry().counter("frames");
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void everyMemberGetsAFrameOnceOnItsOwnLoop() {
    Audience<FakeRecipient> audience = new Audience<>(kind);
    List<FakeRecipient> members = recipients(6);
    members.forEach(audience::add);
    assertEquals(6, audience.deliver("one", false));
    for (FakeRecipient member : members) {
      assertEquals(List.of("one"), await(member.received()));
      assertFalse(await(member.wrongThread()));
    }
  }

  @Test
  void aMemberThatLeftGetsNothingMore() {
    Audience<FakeRecipient> audience = new Audience<>(kind);
    List<FakeRecipient> members = recipients(3);
    members.forEach(audience::add);
    audience.deliver("before", false);
    FakeRecipient gone = members.get(0);
    await(gone.leave());
    audience.remove(gone);
    assertEquals(2, audience.deliver("after", false));
    assertEquals(List.of("before"), await(gone.received()));
    assertEquals(List.of("before", "after"), await(members.get(1).received()));
    assertEquals(List.of("before", "after"), await(members.get(2).received()));
  }

  @Test
  void aMemberStillListedButNoLongerPresentIsSkipped() {
    // the race an unsub ack must win: a delivery already on its way to the member's loop
    Audience<FakeRecipient> audience = new Audience<>(kind);
    FakeRecipient member = await(FakeRecipient.create(vertx));
    audience.add(member);
    await(member.leave());
    audience.deliver("late", false);
    assertEquals(List.of(), await(member.received()));
  }

  @Test
  void manyLeavingAndJoiningKeepsExactlyTheMembers() {
    Audience<FakeRecipient> audience = new Audience<>(kind);
    List<FakeRecipient> members = recipients(120);
    members.forEach(audience::add);
    // more holes than members: the arrays are rebuilt without them
    List<FakeRecipient> staying = members.subList(100, 120);
    for (FakeRecipient member : members.subList(0, 100)) {
      assertTrue(audience.remove(member));
    }
    assertFalse(audience.remove(members.get(0)), "removed twice");
    assertEquals(20, audience.size());
    FakeRecipient late = await(FakeRecipient.create(vertx));
    audience.add(late);
    assertEquals(21, audience.deliver("x", false));
    for (FakeRecipient member : members.subList(0, 100)) {
      assertEquals(List.of(), await(member.received()));
    }
    for (FakeRecipient member : staying) {
      assertEquals(List.of("x"), await(member.received()));
    }
    assertEquals(List.of("x"), await(late.received()));
  }

  @Test
  void forEachOnLoopRunsOncePerMemberAndCountsThem() {
    Audience<FakeRecipient> audience = new Audience<>(kind);
    List<FakeRecipient> members = recipients(5);
    members.forEach(audience::add);
    AtomicInteger runs = new AtomicInteger();
    assertEquals(5, audience.forEachOnLoop(member -> {
      runs.incrementAndGet();
      member.publication("ran", false, kind);
    }));
    for (FakeRecipient member : members) {
      assertEquals(List.of("ran"), await(member.received()));
    }
    assertEquals(5, runs.get());
    assertFalse(audience.add(members.get(0)), "added twice");
  }

  /** Recipients on a few event loops, several per loop. */
  private List<FakeRecipient> recipients(int count) {
    List<Future<FakeRecipient>> made = new ArrayList<>();
    List<FakeRecipient> loops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      loops.add(await(FakeRecipient.create(vertx)));
    }
    for (int i = 0; i < count; i++) {
      made.add(FakeRecipient.on(loops.get(i % loops.size()).context()));
    }
    List<FakeRecipient> out = new ArrayList<>();
    made.forEach(future -> out.add(await(future)));
    return out;
  }
}
