package org.fedledger.node.api;

import java.util.HexFormat;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;

/** Parses path and query parameters, turning bad input into a 400 that says what was expected. */
final class Params {
  private Params() {}

  static long height(String text) {
    try {
      long h = Long.parseLong(text);
      if (h < 0) {
        throw ApiException.badRequest("height must not be negative, got " + text);
      }
      return h;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("height must be a non-negative integer, got '" + text + "'");
    }
  }

  static Hash hash(String text) {
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    try {
      return Hash.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("a hash is 64 hex digits, got '" + text + "'");
    }
  }

  static Address address(String text) {
    try {
      return Address.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("an address is 40 hex digits, got '" + text + "'");
    }
  }

  static byte[] hexBytes(String name, String text) {
    try {
      byte[] bytes = HexFormat.of().parseHex(text);
      if (bytes.length == 0) {
        throw ApiException.badRequest(name + " must not be empty");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name + " must be hex digits, got '" + text + "'");
    }
  }
}
