package org.jwws.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The arguments of a request or of one of its rounds, and typed reads of them: by name in
 * {@code kwargs} ({@code req.integer("count")}) or by position in {@code args}
 * ({@code req.string(0)}). Without a default the argument is required. A missing required
 * argument, or one of another type, throws a {@link CommandException} 400 that names it
 * ({@code kwarg "count" must be an integer}, {@code missing arg 0}); thrown from a handler it
 * becomes the final answer. JSON {@code null} counts as absent. Integers are whole numbers
 * ({@code 3.0} is one, {@code 1.5} is not).
 */
public interface Arguments {

  /** The positional arguments, {@code []} when the client sent none. */
  JsonArray args();

  /** The named arguments, {@code {}} when the client sent none. */
  JsonObject kwargs();

  default String string(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().string(null);
  }

  default String string(String kwarg, String absent) {
    return Argument.kwarg(kwargs(), kwarg).string(absent);
  }

  default int integer(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().integer(0);
  }

  default int integer(String kwarg, int absent) {
    return Argument.kwarg(kwargs(), kwarg).integer(absent);
  }

  default long longInteger(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().longInteger(0);
  }

  default long longInteger(String kwarg, long absent) {
    return Argument.kwarg(kwargs(), kwarg).longInteger(absent);
  }

  /** Any JSON number. */
  default double number(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().number(0);
  }

  default double number(String kwarg, double absent) {
    return Argument.kwarg(kwargs(), kwarg).number(absent);
  }

  default boolean bool(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().bool(false);
  }

  default boolean bool(String kwarg, boolean absent) {
    return Argument.kwarg(kwargs(), kwarg).bool(absent);
  }

  default JsonObject object(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().object(null);
  }

  default JsonObject object(String kwarg, JsonObject absent) {
    return Argument.kwarg(kwargs(), kwarg).object(absent);
  }

  default JsonArray array(String kwarg) {
    return Argument.kwarg(kwargs(), kwarg).required().array(null);
  }

  default JsonArray array(String kwarg, JsonArray absent) {
    return Argument.kwarg(kwargs(), kwarg).array(absent);
  }

  default String string(int index) {
    return Argument.arg(args(), index).required().string(null);
  }

  default String string(int index, String absent) {
    return Argument.arg(args(), index).string(absent);
  }

  default int integer(int index) {
    return Argument.arg(args(), index).required().integer(0);
  }

  default int integer(int index, int absent) {
    return Argument.arg(args(), index).integer(absent);
  }

  default long longInteger(int index) {
    return Argument.arg(args(), index).required().longInteger(0);
  }

  default long longInteger(int index, long absent) {
    return Argument.arg(args(), index).longInteger(absent);
  }

  default double number(int index) {
    return Argument.arg(args(), index).required().number(0);
  }

  default double number(int index, double absent) {
    return Argument.arg(args(), index).number(absent);
  }

  default boolean bool(int index) {
    return Argument.arg(args(), index).required().bool(false);
  }

  default boolean bool(int index, boolean absent) {
    return Argument.arg(args(), index).bool(absent);
  }

  default JsonObject object(int index) {
    return Argument.arg(args(), index).required().object(null);
  }

  default JsonObject object(int index, JsonObject absent) {
    return Argument.arg(args(), index).object(absent);
  }

  default JsonArray array(int index) {
    return Argument.arg(args(), index).required().array(null);
  }

  default JsonArray array(int index, JsonArray absent) {
    return Argument.arg(args(), index).array(absent);
  }
}
