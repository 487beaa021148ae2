package org.fedledger.learning.aggregate;

import java.util.List;

/**
 * A round had no valid update to aggregate. Carries the rejections so that callers can still record
 * why each update was refused.
 */
public final class EmptyRoundException extends IllegalArgumentException {
  private final transient List<Rejection> rejected;

  public EmptyRoundException(List<Rejection> rejected) {
    super(
        rejected.isEmpty()
            ? "round has no client updates to aggregate; select at least one client"
            : "round has no valid client update to aggregate; all "
                + rejected.size()
                + " were rejected, first: "
                + rejected.get(0).clientId()
                + ": "
                + rejected.get(0).reason());
    this.rejected = List.copyOf(rejected);
  }

  public List<Rejection> rejected() {
    return rejected;
  }
}
