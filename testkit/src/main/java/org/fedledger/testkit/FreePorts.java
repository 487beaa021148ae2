package org.fedledger.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Free loopback ports for servers that tests start. A port found free may be taken by someone else
 * before the test binds it; both methods make that unlikely, each in its own way.
 */
public final class FreePorts {
  /**
   * Linux hands out ephemeral ports (for outgoing connections and port 0) from 32768 up; a block
   * below that is not taken by a connection between the check and the bind.
   */
  private static final int BLOCK_FLOOR = 10_000;

  private static final int BLOCK_SPAN = 20_000;
  private static final int BLOCK_ATTEMPTS = 100;

  private FreePorts() {}

  /** One free port. */
  public static int one() {
    return distinct(1).get(0);
  }

  /**
   * n distinct free ports, chosen by the system: every socket stays open until all n are picked, so
   * no port is handed out twice.
   */
  public static List<Integer> distinct(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports.add(s.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("no " + n + " free ports on loopback", e);
    } finally {
      closeAll(sockets);
    }
  }

  /**
   * The first of n consecutive free ports, for configurations laid out from a base port ({@code
   * fedledger init --base-port}, {@code fedledger demo --base-port}). The block lies below the
   * ephemeral range (see {@link #BLOCK_FLOOR}).
   */
  public static int consecutive(int n) {
    SplittableRandom random = new SplittableRandom();
    for (int attempt = 0; attempt < BLOCK_ATTEMPTS; attempt++) {
      int base = BLOCK_FLOOR + random.nextInt(BLOCK_SPAN - n);
      if (allFree(base, n)) {
        return base;
      }
    }
    throw new IllegalStateException(
        "no block of " + n + " free consecutive ports on loopback in " + BLOCK_ATTEMPTS + " tries");
  }

  private static boolean allFree(int base, int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int p = base; p < base + n; p++) {
        held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      closeAll(held);
    }
  }

  private static void closeAll(List<ServerSocket> sockets) {
    for (ServerSocket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // A listening socket that never accepted: closing it cannot lose anything.
      }
    }
  }
}
