package org.fedledger.node.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.ledger.AccountView;
import org.fedledger.ledger.Fault;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.TxRecord;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.state.StateProof;
import org.fedledger.node.api.view.BlockView;
import org.fedledger.node.api.view.ProofView;
import org.fedledger.node.api.view.ReceiptView;
import org.fedledger.node.api.view.TxView;

/** The read-only endpoints: blocks, transactions, accounts, proofs, status. */
final class QueryHandlers {
  private final ChainBackend backend;

  QueryHandlers(ChainBackend backend) {
    this.backend = backend;
  }

  private Ledger ledger() {
    return backend.ledger();
  }

  void blockByHeight(Context ctx) {
    long height = Params.height(ctx.pathParam("height"));
    Block block =
        ledger()
            .blockByHeight(height)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no block at height "
                            + height
                            + "; the chain is at height "
                            + ledger().height()));
    ctx.json(BlockView.of(block, ledger().receipts(height)));
  }

  void blockByHash(Context ctx) {
    Hash hash = Params.hash(ctx.pathParam("hash"));
    Block block =
        ledger().blockByHash(hash).orElseThrow(() -> ApiException.notFound("no block " + hash));
    ctx.json(BlockView.of(block, ledger().receipts(BlockView.header(block).getHeight())));
  }

  void latestBlock(Context ctx) {
    long height = ledger().height();
    Block block =
        ledger()
            .blockByHeight(height)
            .orElseThrow(() -> ApiException.notFound("no block has been committed yet"));
    ctx.json(BlockView.of(block, ledger().receipts(height)));
  }

  void transaction(Context ctx) {
    Hash hash = Params.hash(ctx.pathParam("hash"));
    TxRecord tx =
        ledger()
            .transaction(hash)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no committed transaction "
                            + hash
                            + "; if you just submitted it, it may still be in the mempool"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hash", tx.hash().toHex());
    body.put("height", tx.height());
    body.put("index", tx.index());
    body.put("tx", TxView.of(tx.transaction()));
    body.put("receipt", ReceiptView.of(tx.receipt()));
    ctx.json(body);
  }

  void account(Context ctx) {
    Address address = Params.address(ctx.pathParam("address"));
    AccountView account = ledger().account(address);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("address", account.address().toHex());
    body.put("balance", account.balance());
    body.put("nonce", account.nonce());
    body.put("height", ledger().height());
    ctx.json(body);
  }

  /**
   * {@code ?key=HEX} (a raw state key) or {@code ?account=ADDRESS} (that account's bank balance).
   * The proof and the header it is checked against are read as one consistent pair: if a block
   * commits in between, we read again.
   */
  void stateProof(Context ctx) {
    String keyHex = ctx.queryParam("key");
    String account = ctx.queryParam("account");
    byte[] key;
    if (keyHex != null && account == null) {
      key = Params.hexBytes("key", keyHex);
    } else if (account != null && keyHex == null) {
      key = ledger().balanceStateKey(Params.address(account));
    } else {
      throw ApiException.badRequest(
          "give exactly one of ?key=<hex state key> or ?account=<address>");
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      BlockHeader before = ledger().lastHeader();
      StateProof proof = ledger().stateProof(key);
      BlockHeader after = ledger().lastHeader();
      if (before.equals(after)) {
        Hash root = Hash.of(after.getStateRoot());
        ctx.json(ProofView.of(after.getHeight(), root, proof));
        return;
      }
    }
    throw new ApiException(503, "BUSY", "blocks commit too fast to take a consistent proof; retry");
  }

  void status(Context ctx) {
    Ledger ledger = ledger();
    BlockHeader header = ledger.lastHeader();
    ChainBackend.ConsensusStatus consensus = backend.consensusStatus();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("chainId", ledger.chainId());
    body.put("nodeId", consensus.nodeId());
    body.put("height", header.getHeight());
    body.put("lastBlockHash", ledger.lastBlockHash().toHex());
    body.put("stateRoot", Hash.of(header.getStateRoot()).toHex());
    body.put("lastBlockTimeMillis", header.getTimestampMillis());
    body.put("leader", consensus.leader());
    body.put("leaderId", consensus.leaderId().orElse(null));
    body.put("peers", consensus.peers());
    body.put("mempoolSize", backend.mempoolSize());
    body.put("validators", ledger.validators().stream().map(QueryHandlers::validator).toList());
    body.put("faults", ledger.faults().stream().map(QueryHandlers::fault).toList());
    ctx.json(body);
  }

  private static Map<String, Object> validator(ValidatorInfo v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("publicKey", v.publicKey().toHex());
    m.put("address", v.address().toHex());
    m.put("power", v.power());
    m.put("raftAddress", v.raftAddress());
    m.put("apiAddress", v.apiAddress());
    return m;
  }

  private static Map<String, Object> fault(Fault f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("height", f.height());
    m.put("validator", f.validator().toHex());
    m.put("expected", f.expected().toHex());
    m.put("got", f.got().toHex());
    m.put("recordedAtHeight", f.recordedAtHeight());
    return m;
  }
}
