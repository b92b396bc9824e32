package org.jwws.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.jwws.shared.internal.Envelope;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed reads of a request's arguments, on a round (the same accessors a request has). */
class ArgumentsTest {

  private static Arguments of(JsonArray args, JsonObject kwargs) {
    return new Round(new JsonObject().put(Envelope.ARGS, args).put(Envelope.KWARGS, kwargs));
  }

  private static Arguments kwargs(String key, Object value) {
    return of(new JsonArray(), new JsonObject().put(key, value));
  }

  @Test
  void eachTypeIsReadAsItIs() {
    Arguments arguments = of(new JsonArray().add("a").add(7).add(true),
      new JsonObject().put("s", "text").put("i", 42).put("l", 1L << 40).put("d", 0.5).put("b", false)
        .put("o", new JsonObject().put("k", 1)).put("a", new JsonArray().add(1)));
    assertEquals("text", arguments.string("s"));
    assertEquals(42, arguments.integer("i"));
    assertEquals(1L << 40, arguments.longInteger("l"));
    assertEquals(0.5, arguments.number("d"));
    assertEquals(42.0, arguments.number("i"), "an integer is a number");
    assertFalse(arguments.bool("b"));
    assertEquals(new JsonObject().put("k", 1), arguments.object("o"));
    assertEquals(new JsonArray().add(1), arguments.array("a"));
    assertEquals("a", arguments.string(0));
    assertEquals(7, arguments.integer(1));
    assertEquals(7L, arguments.longInteger(1));
    assertTrue(arguments.bool(2));
  }

  @Test
  void absentOrNullArgumentsTakeTheDefault() {
    Arguments arguments = of(new JsonArray().addNull(), new JsonObject().putNull("n"));
    assertEquals("dflt", arguments.string("n", "dflt"), "null counts as absent");
    assertEquals(3, arguments.integer("missing", 3));
    assertEquals(4L, arguments.longInteger("missing", 4L));
    assertEquals(1.5, arguments.number("missing", 1.5));
    assertTrue(arguments.bool("missing", true));
    assertEquals(new JsonObject(), arguments.object("missing", new JsonObject()));
    assertEquals(new JsonArray(), arguments.array("missing", new JsonArray()));
    assertEquals("zero", arguments.string(0, "zero"), "null counts as absent");
    assertEquals(5, arguments.integer(1, 5), "past the end");
    assertEquals(6, arguments.integer(-1, 6), "before the start");
  }

  @Test
  void aMissingRequiredArgumentIs400NamingIt() {
    Arguments arguments = of(new JsonArray(), new JsonObject().putNull("n"));
    assertBadRequest("missing kwarg \"count\"", () -> arguments.integer("count"));
    assertBadRequest("missing kwarg \"n\"", () -> arguments.string("n"));
    assertBadRequest("missing arg 0", () -> arguments.string(0));
    assertBadRequest("missing arg 2", () -> arguments.object(2));
  }

  @Test
  void anArgumentOfAnotherTypeIs400NamingItAndTheTypeWanted() {
    assertBadRequest("kwarg \"count\" must be an integer", () -> kwargs("count", "ten").integer("count"));
    assertBadRequest("kwarg \"count\" must be an integer", () -> kwargs("count", "ten").integer("count", 1),
      "a default does not excuse a wrong type");
    assertBadRequest("kwarg \"name\" must be a string", () -> kwargs("name", 1).string("name"));
    assertBadRequest("kwarg \"x\" must be a number", () -> kwargs("x", "1.5").number("x"));
    assertBadRequest("kwarg \"flag\" must be true or false", () -> kwargs("flag", "true").bool("flag"));
    assertBadRequest("kwarg \"flag\" must be true or false", () -> kwargs("flag", 1).bool("flag"));
    assertBadRequest("kwarg \"o\" must be an object", () -> kwargs("o", new JsonArray()).object("o"));
    assertBadRequest("kwarg \"a\" must be an array", () -> kwargs("a", new JsonObject()).array("a"));
    assertBadRequest("arg 1 must be an integer", () -> of(new JsonArray().add(0).add(true), new JsonObject()).integer(1));
  }

  @Test
  void integersAreWholeNumbersInTheirRange() {
    assertEquals(3, kwargs("n", 3.0).integer("n"), "3.0 is a whole number");
    assertEquals(-3, kwargs("n", new BigDecimal("-3")).integer("n"));
    assertEquals(Long.MAX_VALUE, kwargs("n", BigInteger.valueOf(Long.MAX_VALUE)).longInteger("n"));
    assertBadRequest("kwarg \"n\" must be an integer", () -> kwargs("n", 1.5).integer("n"));
    assertBadRequest("kwarg \"n\" must be an integer", () -> kwargs("n", Double.NaN).longInteger("n"));
    assertBadRequest("kwarg \"n\" must be an integer", () -> kwargs("n", 1e300).longInteger("n"));
    assertBadRequest("kwarg \"n\" must be an integer", () -> kwargs("n", 0x1p63).longInteger("n"), "2^63 is past every long");
    assertBadRequest("kwarg \"n\" must be an integer", () -> kwargs("n", BigInteger.ONE.shiftLeft(64)).longInteger("n"));
    assertEquals(-(1L << 62), kwargs("n", -0x1p62).longInteger("n"));
    assertEquals(Integer.MAX_VALUE, kwargs("n", Integer.MAX_VALUE).integer("n"));
    assertBadRequest("kwarg \"n\" must be an integer within [-2147483648, 2147483647]",
      () -> kwargs("n", 1L << 31).integer("n"));
  }

  @Test
  void objectsAndArraysHeldAsMapsAndListsAreReadAsJson() {
    assertEquals(new JsonObject().put("k", 1), kwargs("o", Map.of("k", 1)).object("o"));
    assertEquals(new JsonArray().add(1), kwargs("a", List.of(1)).array("a"));
  }

  @Test
  void aRoundWithoutArgumentsHasEmptyOnes() {
    Arguments round = new Round(new JsonObject());
    assertEquals(new JsonArray(), round.args());
    assertEquals(new JsonObject(), round.kwargs());
    assertBadRequest("missing kwarg \"n\"", () -> round.integer("n"));
  }

  private static void assertBadRequest(String message, Executable read) {
    assertBadRequest(message, read, message);
  }

  private static void assertBadRequest(String message, Executable read, String why) {
    CommandException e = assertThrows(CommandException.class, read, why);
    assertEquals(Status.BAD_REQUEST, e.code(), why);
    assertEquals(message, e.getMessage(), why);
  }
}
