package org.fedledger.node.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request's body into one array of exactly its declared length. Javalin's {@code
 * bodyAsBytes} copies the body through an 8 KiB buffer into a growing stream and then into the
 * array it returns: three arrays a call, most of the API's allocation on the predict path. A body
 * without a declared length, or longer than Javalin's limit, is left to Javalin, which refuses it
 * with its own 413 as before.
 */
public final class RequestBody {
  private RequestBody() {}

  /**
   * @throws IOException if the connection ends before the declared length has arrived
   */
  public static byte[] bytes(Context ctx) throws IOException {
    long length = ctx.req().getContentLengthLong();
    if (length < 0 || length > ApiServer.MAX_REQUEST_BYTES) {
      return ctx.bodyAsBytes();
    }
    InputStream in = ctx.req().getInputStream();
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw ApiException.badRequest(
          "the body ended after " + body.length + " of its declared " + length + " bytes");
    }
    return body;
  }
}
