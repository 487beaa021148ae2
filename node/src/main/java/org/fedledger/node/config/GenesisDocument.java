package org.fedledger.node.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.ledger.BlockLimits;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.ValidatorInfo;

/**
 * genesis.json: the network's first state, identical on every validator. Keys and addresses are
 * lowercase hex.
 *
 * @param chainId the network's name; every transaction carries it
 * @param genesisTimeMillis the chain's time before its first block
 * @param admin address allowed to run governance before validators take over
 * @param validators the initial validator set, in Raft peer order
 * @param accounts funded accounts
 * @param blockLimits how large a block may be, for every node (absent: the defaults, 5,000
 *     transactions and 8 MiB); a node's own "block" settings may only cut smaller blocks
 */
public record GenesisDocument(
    String chainId,
    long genesisTimeMillis,
    String admin,
    List<Validator> validators,
    List<Account> accounts,
    Limits blockLimits) {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param id the validator's Raft peer id, also the node id of its configuration
   * @param publicKey Ed25519 public key, 64 hex digits
   * @param power voting power, at least 1
   * @param raftAddress host:port of its Raft server
   * @param apiAddress host:port of its REST API
   */
  public record Validator(
      String id, String publicKey, long power, String raftAddress, String apiAddress) {}

  /** A funded account; balance in the smallest token unit. */
  public record Account(String address, long balance) {}

  /**
   * @param maxTransactions most transactions in one block
   * @param maxBytes most encoded transaction bytes in one block (512 KiB to 256 MiB)
   */
  public record Limits(int maxTransactions, int maxBytes) {
    public static Limits of(BlockLimits limits) {
      return new Limits(limits.maxTransactions(), limits.maxBytes());
    }

    BlockLimits toBlockLimits() {
      return new BlockLimits(maxTransactions, maxBytes);
    }
  }

  public GenesisDocument {
    validators = validators == null ? List.of() : List.copyOf(validators);
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    blockLimits = blockLimits == null ? Limits.of(BlockLimits.DEFAULT) : blockLimits;
  }

  /** This document with other accounts. */
  public GenesisDocument withAccounts(List<Account> newAccounts) {
    return new GenesisDocument(
        chainId, genesisTimeMillis, admin, validators, newAccounts, blockLimits);
  }

  /** Checks every field; the message names the first wrong one and what it should be. */
  public GenesisDocument validate() {
    if (chainId == null || chainId.isBlank()) {
      throw new IllegalArgumentException("genesis: \"chainId\" is required");
    }
    if (genesisTimeMillis < 0) {
      throw new IllegalArgumentException("genesis: \"genesisTimeMillis\" must not be negative");
    }
    parseAddress("admin", admin);
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("genesis: at least one validator is required");
    }
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < validators.size(); i++) {
      Validator v = validators.get(i);
      String where = "genesis: validators[" + i + "]";
      if (v.id() == null || v.id().isBlank() || !ids.add(v.id())) {
        throw new IllegalArgumentException(where + ": \"id\" is missing or not unique");
      }
      try {
        Ed25519PublicKey.fromHex(v.publicKey());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": \"publicKey\" must be 64 hex digits", e);
      }
      if (!keys.add(v.publicKey().toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException(where + ": duplicate public key");
      }
      if (v.power() < 1) {
        throw new IllegalArgumentException(where + ": \"power\" must be at least 1");
      }
      HostPort.parse(v.raftAddress());
      HostPort.parse(v.apiAddress());
    }
    Set<String> addresses = new HashSet<>();
    for (int i = 0; i < accounts.size(); i++) {
      Account a = accounts.get(i);
      Address address = parseAddress("accounts[" + i + "].address", a.address());
      if (!addresses.add(address.toHex())) {
        throw new IllegalArgumentException("genesis: duplicate account " + address);
      }
      if (a.balance() < 0) {
        throw new IllegalArgumentException("genesis: accounts[" + i + "].balance is negative");
      }
    }
    try {
      blockLimits.toBlockLimits();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("genesis: \"blockLimits\": " + e.getMessage(), e);
    }
    return this;
  }

  /** Total of all genesis balances: the token supply, which transfers never change. */
  public long totalSupply() {
    long total = 0;
    for (Account a : accounts) {
      total = Math.addExact(total, a.balance());
    }
    return total;
  }

  /** The ledger's genesis; call on a validated document. */
  public Genesis toGenesis() {
    validate();
    List<ValidatorInfo> vs =
        validators.stream()
            .map(
                v ->
                    new ValidatorInfo(
                        Ed25519PublicKey.fromHex(v.publicKey()),
                        v.power(),
                        v.raftAddress(),
                        v.apiAddress()))
            .toList();
    List<Genesis.Account> as =
        accounts.stream()
            .map(a -> new Genesis.Account(Address.fromHex(a.address()), a.balance()))
            .toList();
    return new Genesis(
        chainId, genesisTimeMillis, Address.fromHex(admin), vs, as, blockLimits.toBlockLimits());
  }

  public static GenesisDocument load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "genesis file not found; create one with `fedledger init`");
    }
    GenesisDocument doc;
    try {
      doc = JSON.readValue(file.toFile(), GenesisDocument.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a genesis document: " + e.getMessage(), e);
    }
    try {
      return doc.validate();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public void save(Path file) throws IOException {
    Files.write(file, JSON.writeValueAsBytes(validate()));
  }

  private static Address parseAddress(String field, String hex) {
    try {
      return Address.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "genesis: \"" + field + "\" must be a 40-hex-digit address, got " + hex, e);
    }
  }
}
