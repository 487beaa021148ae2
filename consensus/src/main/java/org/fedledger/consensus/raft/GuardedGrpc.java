package org.fedledger.consensus.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcService;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;

/**
 * Ratis' gRPC transport whose endpoint serves the server through {@link RemoteAdminGuard} and, with
 * TLS, logs each refused handshake in our words ({@link HandshakeRefusalLog}). Ratis picks a
 * transport by the class name in {@code raft.rpc.type}, which {@link RaftSettings} sets to this
 * class; clients keep the plain gRPC type.
 */
public final class GuardedGrpc implements RpcType {
  /** Ratis creates the type reflectively from its name. */
  public GuardedGrpc() {}

  @Override
  public String name() {
    return GuardedGrpc.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  /** gRPC, with the guard between the network endpoint and the server. */
  static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public GrpcService newRaftServerRpc(RaftServer server) {
      GrpcService service = super.newRaftServerRpc(RemoteAdminGuard.wrap(server));
      if (getServerTlsConfig() != null) {
        HandshakeRefusalLog.install(service);
      }
      return service;
    }
  }
}
