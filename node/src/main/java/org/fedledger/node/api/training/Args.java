package org.fedledger.node.api.training;

import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.node.api.ApiException;

/** Path and query parameters of the training endpoints; bad input is a 400 that says why. */
final class Args {
  /** Most items one list request returns. */
  static final int MAX_LIMIT = 500;

  private Args() {}

  static Hash hash(String name, String text) {
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    try {
      return Hash.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name + " is 64 hex digits, got '" + text + "'");
    }
  }

  static Address address(String text) {
    try {
      return Address.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("an address is 40 hex digits, got '" + text + "'");
    }
  }

  static long nonNegative(String name, String text, long fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw ApiException.badRequest(name + " must be a non-negative integer, got '" + text + "'");
  }

  static int limit(String text) {
    long v = nonNegative("limit", text, 100);
    if (v < 1 || v > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT + ", got " + v);
    }
    return (int) v;
  }

  /** Registry ids: 1-128 of [A-Za-z0-9._:-], as the registry requires. */
  static String registryId(String kind, String text) {
    if (text.isEmpty() || text.length() > 128 || !text.matches("[A-Za-z0-9._:-]+")) {
      throw ApiException.badRequest(
          kind + " id is 1-128 characters of [A-Za-z0-9._:-], got '" + text + "'");
    }
    return text;
  }
}
