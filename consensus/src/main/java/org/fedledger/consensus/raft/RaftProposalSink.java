package org.fedledger.consensus.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.fedledger.consensus.block.ProposalSink;
import org.fedledger.core.proto.BlockProposal;

/**
 * Submits proposals to the local Raft server directly, in process: the builder runs only on the
 * leader, so a network client would only serialize a large message to itself.
 */
public final class RaftProposalSink implements ProposalSink {
  private final RaftServer server;
  private final RaftGroupId groupId;
  private final LocalProposals local;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();

  /**
   * @param local where this sink registers its requests, so that the state machine, which refuses
   *     every other write, accepts them
   */
  public RaftProposalSink(RaftServer server, RaftGroupId groupId, LocalProposals local) {
    this.server = server;
    this.groupId = groupId;
    this.local = local;
  }

  @Override
  public CompletableFuture<RaftClientReply> propose(BlockProposal proposal) {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(server.getId())
            .setGroupId(groupId)
            .setCallId(callId.incrementAndGet())
            .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(proposal.toByteArray())))
            .setType(RaftClientRequest.writeRequestType())
            .build();
    local.register(request);
    try {
      return server
          .submitClientRequestAsync(request)
          .whenComplete((reply, failure) -> local.release(request))
          .thenApply(
              reply -> {
                if (!reply.isSuccess()) {
                  throw new IllegalStateException(
                      "Raft did not accept the proposal: " + reply.getException(),
                      reply.getException());
                }
                return reply;
              });
    } catch (java.io.IOException | RuntimeException e) {
      local.release(request);
      return CompletableFuture.failedFuture(e);
    }
  }
}
