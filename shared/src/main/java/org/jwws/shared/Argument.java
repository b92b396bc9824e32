package org.jwws.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * One argument of a request read as the type its handler wants: a value of another type (or a
 * required one that is missing) is the client's mistake, thrown as a {@link CommandException}
 * 400 naming the argument, which the handler API answers. JSON {@code null} counts as absent.
 */
final class Argument {

  /** {@code 2^63}: the first double past every long. */
  private static final double LONG_LIMIT = 0x1p63;

  /** How the answer names it: {@code kwarg "count"} or {@code arg 0}. */
  private final String name;
  private final Object value;

  private Argument(String name, Object value) {
    this.name = name;
    this.value = value;
  }

  static Argument kwarg(JsonObject kwargs, String key) {
    return new Argument("kwarg \"" + key + "\"", kwargs.getValue(key));
  }

  static Argument arg(JsonArray args, int index) {
    return new Argument("arg " + index, index >= 0 && index < args.size() ? args.getValue(index) : null);
  }

  Argument required() {
    if (value == null) {
      throw new CommandException(Status.BAD_REQUEST, "missing " + name);
    }
    return this;
  }

  String string(String absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof String) {
      return (String) value;
    }
    throw wrongType("a string");
  }

  int integer(int absent) {
    long number = longInteger(absent);
    if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
      throw wrongType("an integer within [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
    }
    return (int) number;
  }

  /** A whole number: {@code 3} and {@code 3.0} are, {@code 1.5} and {@code 1e300} are not. */
  long longInteger(long absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger && ((BigInteger) value).bitLength() < Long.SIZE) {
      return ((BigInteger) value).longValue();
    }
    if (value instanceof BigDecimal) {
      try {
        return ((BigDecimal) value).longValueExact();
      } catch (ArithmeticException notWholeOrTooLarge) {
        throw wrongType("an integer");
      }
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (number == Math.rint(number) && number >= -LONG_LIMIT && number < LONG_LIMIT) {
        return (long) number;
      }
    }
    throw wrongType("an integer");
  }

  double number(double absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof Number) {
      return ((Number) value).doubleValue();
    }
    throw wrongType("a number");
  }

  boolean bool(boolean absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    throw wrongType("true or false");
  }

  @SuppressWarnings("unchecked")
  JsonObject object(JsonObject absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof JsonObject) {
      return (JsonObject) value;
    }
    if (value instanceof Map) {
      return new JsonObject((Map<String, Object>) value);
    }
    throw wrongType("an object");
  }

  @SuppressWarnings("unchecked")
  JsonArray array(JsonArray absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof JsonArray) {
      return (JsonArray) value;
    }
    if (value instanceof List) {
      return new JsonArray((List<Object>) value);
    }
    throw wrongType("an array");
  }

  private CommandException wrongType(String expected) {
    return new CommandException(Status.BAD_REQUEST, name + " must be " + expected);
  }
}
