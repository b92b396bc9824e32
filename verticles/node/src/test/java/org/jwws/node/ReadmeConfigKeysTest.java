package org.jwws.node;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.jwws.node.bridge.BridgeOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Config keys" table lists every key of the options, and no other, and where a
 * row's default is plain values (`8080`, `127.0.0.1` / `7000`) they are the code's.
 */
class ReadmeConfigKeysTest {

  private static final Path README = Path.of("../../README.md");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  /** A default cell of literals only: `a`, or `a` / `b` for a row of two keys. */
  private static final Pattern LITERALS = Pattern.compile("`[^`]*`( / `[^`]*`)*");

  /** The table's rows: the keys of the first cell, in order, to the default cell. */
  private static List<Map.Entry<List<String>, String>> rows() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("### Config keys");
    assertTrue(start >= 0, "the README has its Config keys section");
    // the table ends where the routes the HTTP port serves begin
    String section = readme.substring(start, readme.indexOf("The HTTP port also serves", start));
    List<Map.Entry<List<String>, String>> rows = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split(" \\| ");
      List<String> keys = new ArrayList<>();
      Matcher key = CODE.matcher(cells[0]);
      while (key.find()) {
        keys.add(key.group(1));
      }
      rows.add(Map.entry(keys, cells[1].trim()));
    }
    return rows;
  }

  /** Every key of the code with its default, {@code gateway.port} for the nested ones. */
  private static Map<String, Object> codeDefaults() {
    Map<String, Object> keys = new TreeMap<>();
    JsonObject node = new NodeOptions().toJson();
    node.forEach(entry -> keys.put(entry.getKey(), entry.getValue()));
    // listed key by key, gateway.port and so on
    keys.remove("gateway");
    node.getJsonObject("gateway").forEach(entry -> keys.put("gateway." + entry.getKey(), entry.getValue()));
    new BridgeOptions(new JsonObject()).toJson().forEach(entry -> keys.put("bridge." + entry.getKey(), entry.getValue()));
    keys.put("bridge.enabled", true);
    return keys;
  }

  @Test
  void theTableListsEveryKeyOfTheOptions() throws Exception {
    Set<String> documented = new TreeSet<>();
    rows().forEach(row -> documented.addAll(row.getKey()));
    assertEquals(codeDefaults().keySet(), documented);
  }

  @Test
  void plainDefaultsAreTheCodes() throws Exception {
    Map<String, Object> defaults = codeDefaults();
    int compared = 0;
    for (Map.Entry<List<String>, String> row : rows()) {
      if (!LITERALS.matcher(row.getValue()).matches()) {
        continue;
      }
      List<String> literals = new ArrayList<>();
      Matcher literal = CODE.matcher(row.getValue());
      while (literal.find()) {
        literals.add(literal.group(1));
      }
      for (int i = 0; i < row.getKey().size(); i++) {
        String key = row.getKey().get(i);
        // one value for several keys: it is the default of each
        String documented = literals.get(literals.size() == 1 ? 0 : i);
        Object value = defaults.get(key);
        assertEquals(value instanceof String ? value : Json.encode(value), documented, key);
        compared++;
      }
    }
    assertTrue(compared > 30, "most defaults are plain values: " + compared);
  }
}
