package org.jwws.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Node peer: a plain {@code ws} server (bench/ws-peer/server.mjs) with the bare server's
 * fan-out and echo behaviour, what a user might pick instead of the gateway. Its dependency is
 * installed by {@code npm install} in bench/ws-peer, as .ci/run does.
 */
final class WsPeer {

  private static final Pattern READY = Pattern.compile("ws server ready on port (\\d+)");

  private WsPeer() {
  }

  /** Fails with what to do when node or the installed {@code ws} package is missing. */
  static Path script(Path dir) {
    Path script = dir.resolve("server.mjs").toAbsolutePath();
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("ws peer not found: " + script + " (run the bench from the repository root, or pass --ws-peer DIR)");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) {
      throw new IllegalStateException("the ws package is not installed: run `npm install` in " + dir.toAbsolutePath());
    }
    return script;
  }

  static ServerProcess start(Path script) throws Exception {
    return ServerProcess.startCommand("ws", List.of("node", script.toString(), "0"), Map.of(), READY);
  }
}
