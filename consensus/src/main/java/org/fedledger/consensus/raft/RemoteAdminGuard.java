package org.fedledger.consensus.raft;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view of a Raft server that its network endpoint gets: every call passes through except the
 * administrative ones that change the group (membership, leadership, group removal, elections,
 * snapshots), which are refused. The node makes those changes in process, on the server itself, so
 * a remote client (anyone who reaches the Raft port) can no longer make them.
 *
 * <p>Reading the group's info stays open: a leader asks a joining node who it is.
 */
final class RemoteAdminGuard implements InvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAdminGuard.class);

  /** AdminProtocol and AdminAsynchronousProtocol calls that change something. */
  private static final Set<String> REFUSED =
      Set.of(
          "setConfiguration",
          "setConfigurationAsync",
          "transferLeadership",
          "transferLeadershipAsync",
          "groupManagement",
          "groupManagementAsync",
          "snapshotManagement",
          "snapshotManagementAsync",
          "leaderElectionManagement",
          "leaderElectionManagementAsync");

  private final RaftServer server;

  private RemoteAdminGuard(RaftServer server) {
    this.server = server;
  }

  /** The server as seen from the network. */
  static RaftServer wrap(RaftServer server) {
    return (RaftServer)
        Proxy.newProxyInstance(
            RaftServer.class.getClassLoader(),
            new Class<?>[] {RaftServer.class},
            new RemoteAdminGuard(server));
  }

  /** True for the calls a remote client may not make. */
  static boolean isRefused(Method method) {
    return REFUSED.contains(method.getName());
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (isRefused(method)) {
      IOException refusal =
          new IOException(
              "refused: "
                  + method.getName()
                  + " is not served over the network; membership follows the chain's validator"
                  + " set (validators/AddValidator, RemoveValidator)");
      LOG.warn("refused a remote {} on Raft server {}", method.getName(), server.getId());
      if (CompletableFuture.class.isAssignableFrom(method.getReturnType())) {
        return CompletableFuture.failedFuture(refusal);
      }
      throw refusal;
    }
    if (method.getDeclaringClass() == Object.class) {
      return switchObjectMethod(proxy, method, args);
    }
    try {
      return method.invoke(server, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Object switchObjectMethod(Object proxy, Method method, Object[] args) {
    if (method.getName().equals("equals")) {
      return proxy == args[0];
    }
    if (method.getName().equals("hashCode")) {
      return System.identityHashCode(proxy);
    }
    return "guarded " + server;
  }
}
