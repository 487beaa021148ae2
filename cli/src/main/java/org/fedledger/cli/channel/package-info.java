/**
 * {@code fedledger channel}: payment channels of the market. A client opens a channel to a provider
 * of an offered model ({@code open}), signs a voucher for the cumulative amount it owes ({@code
 * voucher}); the provider settles the latest voucher ({@code claim}); after expiry the client takes
 * back the rest ({@code close}); {@code status} shows a channel.
 */
package org.fedledger.cli.channel;
