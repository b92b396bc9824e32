package org.jwws.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, so its CPU and memory can be read from /proc.
 */
final class ServerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Pattern ready;
  /** Everything the server printed, whole. */
  private final Path log;
  /** An ERROR line (Logback text format or JUL's SEVERE), or a line of a stack trace; not a line that names an exception. */
  private static final Pattern ERROR_OR_TRACE = Pattern.compile("^\\S+ \\S+ ERROR |SEVERE|^\\s+at |^Caused by: |^\\S*(Exception|Error)(: |$)");
  private final AtomicInteger errorLines = new AtomicInteger();
  private static final Pattern WARN = Pattern.compile("^\\S+ \\S+ WARN ");
  /** The one WARN line a node prints per member that left the cluster (MemberWatch). */
  private static final Pattern MEMBER_LEFT = Pattern.compile(" WARN  ?\\[org\\.jwws\\.node\\.MemberWatch\\] cluster member \\S+ left \\(");
  private static final int KEPT_WARN_LINES = 20;
  private final AtomicInteger memberLeftLines = new AtomicInteger();
  private final AtomicInteger otherWarnLines = new AtomicInteger();
  /** The first {@value #KEPT_WARN_LINES} WARN lines that are not a member-left line. */
  private final List<String> otherWarnings = new CopyOnWriteArrayList<>();
  /** The lines up to the ready line: what it said while starting (e.g. a second port). */
  private final List<String> startupLines = new CopyOnWriteArrayList<>();

  private ServerProcess(String name, Process process, Pattern ready, Path log) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.ready = ready;
    Thread reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
    // a bench stopped by a signal takes its servers along (close() has usually done it already)
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-kill"));
  }

  /** Starts {@code java JVM_FLAGS ARGS} and waits until a line matching {@code ready} names its port. */
  static ServerProcess start(String name, List<String> jvmFlags, List<String> args, Map<String, String> env, Pattern ready)
    throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(args);
    return startCommand(name, command, env, ready);
  }

  /** Starts any server program (the Node peer) and waits until a line matching {@code ready} names its port. */
  static ServerProcess startCommand(String name, List<String> command, Map<String, String> env, Pattern ready)
    throws Exception {
    Path workDir = Files.createTempDirectory("jw-bench");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
    builder.environment().putAll(env);
    ServerProcess server = new ServerProcess(name, builder.start(), ready, workDir.resolve("output.log"));
    server.port.get(120, TimeUnit.SECONDS);
    return server;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  int port() {
    return port.join();
  }

  /** The first line it printed up to its ready line that matches {@code pattern}. */
  Optional<Matcher> printedWhileStarting(Pattern pattern) {
    return startupLines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
  }

  double cpuSeconds() {
    return Proc.cpuSeconds(process.pid());
  }

  long rssBytes() {
    return Proc.rssBytes(process.pid());
  }

  /** ERROR lines and stack traces it printed: a healthy node prints none, also while others die. */
  int errorLines() {
    return errorLines.get();
  }

  /** WARN lines saying a cluster member left: one per member lost while this node lived. */
  int memberLeftLines() {
    return memberLeftLines.get();
  }

  /** WARN lines of any other kind: routine node loss prints none. */
  int otherWarnLines() {
    return otherWarnLines.get();
  }

  List<String> otherWarnings() {
    return List.copyOf(otherWarnings);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the JVM dies at once, saying goodbye to nobody. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        if (!port.isDone()) {
          startupLines.add(line);
        }
        Matcher matcher = ready.matcher(line);
        if (!port.isDone() && matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
        // the servers log through Logback (ERROR) or Vert.x's JUL default (SEVERE)
        if (ERROR_OR_TRACE.matcher(line).find()) {
          errorLines.incrementAndGet();
        }
        if (MEMBER_LEFT.matcher(line).find()) {
          memberLeftLines.incrementAndGet();
        } else if (WARN.matcher(line).find() && otherWarnLines.incrementAndGet() <= KEPT_WARN_LINES) {
          otherWarnings.add(line);
        }
        if (line.contains(" ERROR ") || line.contains("SEVERE") || line.contains("Exception")) {
          System.err.println("[" + name + "] " + line);
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
  }
}
