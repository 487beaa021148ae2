/**
 * The market module: models in use. A model's owner publishes an offer (price per call, allowed
 * providers, the revenue split between provider, owner and contributors); a client opens a payment
 * channel to one provider, escrowing a deposit until an expiry height; off chain it pays each call
 * with a signed voucher for the cumulative amount; the provider claims the latest voucher, which
 * pays provider, owner and the model's contributors at once (royalties by the contribution scores
 * in the model's lineage); after expiry the client takes back what was never claimed. The design of
 * SingularityNET's multi-party escrow, on our chain and keys.
 *
 * <p>In the shape of the other modules: {@code MarketModule} registers the messages and answers
 * queries; {@code MarketMessages} and {@code MarketEvents} name the messages and events; {@code
 * OfferHandlers}, {@code ChannelHandlers} and {@code ClaimHandler} execute the messages; {@code
 * ClaimSplit} and {@code Apportion} are the pure arithmetic of a claim's split; {@code MarketStore}
 * is the state layout.
 */
package org.fedledger.ledger.market;
