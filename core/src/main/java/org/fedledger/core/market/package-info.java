/**
 * The off-chain half of the market's payment channels: signing and checking the vouchers a client
 * gives a provider for each call. The market contract checks the same signature when a provider
 * claims, so client, provider and chain share one rule.
 */
package org.fedledger.core.market;
