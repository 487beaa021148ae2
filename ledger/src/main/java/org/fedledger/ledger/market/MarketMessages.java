package org.fedledger.ledger.market;

/**
 * The names of the market module's messages ({@code TxBody.module} is {@link #MODULE}, {@code
 * TxBody.message_type} one of the others). Senders (cli, agents) use these, never literals.
 */
public final class MarketMessages {
  public static final String MODULE = MarketModule.NAME;

  public static final String PUBLISH_OFFER = "PublishOffer";
  public static final String WITHDRAW_OFFER = "WithdrawOffer";
  public static final String OPEN_CHANNEL = "OpenChannel";
  public static final String ADD_FUNDS = "AddFunds";
  public static final String EXTEND_CHANNEL = "ExtendChannel";
  public static final String CLAIM = "Claim";
  public static final String REFUND = "Refund";

  private MarketMessages() {}
}
