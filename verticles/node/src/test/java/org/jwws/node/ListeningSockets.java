package org.jwws.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, as the Linux kernel lists them: {@code /proc/net/tcp}
 * and {@code tcp6} rows in state LISTEN whose inode is one of {@code /proc/self/fd}. Only this
 * process's sockets, so other programs on the machine (other test JVMs, other clusters) do not
 * count.
 */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  /** One listening socket: its local address and port. */
  static final class Listener {
    final InetAddress address;
    final int port;

    Listener(InetAddress address, int port) {
      this.address = address;
      this.port = port;
    }

    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port;
    }
  }

  private ListeningSockets() {
  }

  /** Whether this machine exposes the tables (Linux). */
  static boolean available() {
    return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  static List<Listener> ofThisProcess() throws IOException {
    Set<String> inodes = socketInodes();
    List<Listener> listeners = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.isReadable(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
        String[] columns = line.trim().split("\\s+");
        if (columns.length > 9 && LISTEN.equals(columns[3]) && inodes.contains(columns[9])) {
          String[] local = columns[1].split(":");
          listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
        }
      }
    }
    return listeners;
  }

  /** {@code socket:[inode]} links of this process's file descriptors. */
  private static Set<String> socketInodes() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while listing: not a listener of interest
        }
      }
    }
    return inodes;
  }

  /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
  private static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    // an IPv4-mapped IPv6 address comes back as the Inet4Address it maps
    return InetAddress.getByAddress(bytes);
  }
}
