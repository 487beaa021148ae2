package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.node.keys.SecureFiles;

/**
 * The client's count of what it has signed on one channel, kept in a small JSON file so that
 * repeated {@code model predict} calls continue the voucher sequence: the chain and channel it
 * belongs to, the client key that signs, and the nonce and cumulative amount of the last voucher.
 * The file is replaced atomically (a temporary file, synced, then renamed), so a crash leaves
 * either the old count or the new one, never half of one.
 *
 * @param chainId the chain the channel is on
 * @param channelId 64 hex digits
 * @param clientKey the client's public key, 64 hex digits
 * @param nonce the channel nonce the last voucher carried
 * @param amount the cumulative amount of the last voucher under that nonce (0: none yet)
 */
public record ChannelState(
    String chainId, String channelId, String clientKey, long nonce, long amount) {

  /** The state in file, or empty if there is none. */
  public static Optional<ChannelState> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode json;
    try {
      json = NodeClient.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(
          file + " is not a channel state file (JSON); move it away if it is not yours", e);
    }
    for (String field : new String[] {"chainId", "channelId", "clientKey", "nonce", "amount"}) {
      if (json == null || !json.hasNonNull(field)) {
        throw new IOException(
            file + " lacks '" + field + "': not a channel state file; move it away");
      }
    }
    return Optional.of(
        new ChannelState(
            json.path("chainId").asText(),
            json.path("channelId").asText(),
            json.path("clientKey").asText(),
            json.path("nonce").asLong(),
            json.path("amount").asLong()));
  }

  /** Replaces file with this state atomically; the directory is created private if missing. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    SecureFiles.createPrivateDirectories(dir);
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("chainId", chainId);
    out.put("channelId", channelId);
    out.put("clientKey", clientKey);
    out.put("nonce", nonce);
    out.put("amount", amount);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, NodeClient.pretty(out) + "\n", StandardCharsets.UTF_8);
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  // The rename is durable only once the directory is synced; where directories cannot be opened
  // (Windows) the rename is all we get.
  private static void syncDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // Not supported on this platform: the atomic rename still holds.
    }
  }
}
