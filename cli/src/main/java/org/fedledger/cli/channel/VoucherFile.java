package org.fedledger.cli.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;

/**
 * A signed voucher on disk, as JSON: {@code voucher} (the serialized Voucher, hex) and {@code
 * signature} (hex) are what is claimed; {@code chainId}, {@code channelId}, {@code nonce} and
 * {@code amount} repeat the voucher's fields for people and are ignored when read.
 */
final class VoucherFile {
  private static final HexFormat HEX = HexFormat.of();

  private VoucherFile() {}

  static void write(Path file, SignedVoucher signed) throws IOException {
    Voucher v;
    try {
      v = Vouchers.decode(signed);
    } catch (Vouchers.InvalidVoucherException e) {
      throw new IllegalArgumentException("not a voucher: " + e.getMessage(), e);
    }
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("chainId", v.getChainId());
    out.put("channelId", HEX.formatHex(v.getChannelId().toByteArray()));
    out.put("nonce", v.getNonce());
    out.put("amount", v.getAmount());
    out.put("voucher", HEX.formatHex(signed.getVoucher().toByteArray()));
    out.put("signature", HEX.formatHex(signed.getSignature().toByteArray()));
    Files.writeString(file, NodeClient.pretty(out) + "\n");
  }

  static SignedVoucher read(Path file) throws IOException {
    JsonNode json;
    try {
      json = NodeClient.JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IOException(file + " is not a voucher file (JSON with voucher and signature)", e);
    }
    try {
      return SignedVoucher.newBuilder()
          .setVoucher(ByteString.copyFrom(HEX.parseHex(json.path("voucher").asText())))
          .setSignature(ByteString.copyFrom(HEX.parseHex(json.path("signature").asText())))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": voucher and signature must be hex strings: " + e.getMessage(), e);
    }
  }
}
