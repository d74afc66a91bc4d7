package io.glimpse.ops.embedded;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker and controller ports on 127.0.0.1. Port 0 means any free port; it is chosen here,
 * before the broker starts, because the controller's port is part of the quorum configuration.
 *
 * @param broker the client (PLAINTEXT) listener port
 * @param controller the KRaft controller listener port
 */
record LoopbackPorts(int broker, int controller) {
  static final String HOST = "127.0.0.1";

  /**
   * Checks fixed ports are free and picks free ports for zeros. All probe sockets stay open until
   * both ports are known, so two zeros never get the same port.
   */
  static LoopbackPorts resolve(int broker, int controller) {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      int brokerPort = bind(broker, probes);
      int controllerPort = bind(controller, probes);
      return new LoopbackPorts(brokerPort, controllerPort);
    } finally {
      probes.forEach(LoopbackPorts::closeQuietly);
    }
  }

  private static int bind(int port, List<ServerSocket> probes) {
    try {
      ServerSocket socket = new ServerSocket();
      probes.add(socket);
      socket.bind(new InetSocketAddress(HOST, port));
      return socket.getLocalPort();
    } catch (BindException e) {
      throw new EmbeddedStackException(inUse(port), e);
    } catch (IOException e) {
      throw new EmbeddedStackException(
          "Could not open a socket on " + HOST + ":" + port + ": " + e + ". Check the network.", e);
    }
  }

  /** The message for a port that another process holds. */
  static String inUse(int port) {
    return "Port "
        + port
        + " on "
        + HOST
        + " is already in use. Stop the process listening there, or choose another port"
        + " (0 picks any free port).";
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // A probe socket that fails to close changes nothing for the broker.
    }
  }
}
