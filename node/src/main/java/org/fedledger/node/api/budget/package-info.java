/**
 * What a client of the API may cost the node in refused transactions (issue #21): a flood of junk
 * makes the flooder wait, not the node work.
 *
 * <p><b>The rule.</b> Each client ({@link org.fedledger.node.api.budget.ClientKey}: its member
 * certificate, else its address) has a {@link org.fedledger.node.api.budget.RefusalBudget} of 1,000
 * refusals that refills at 100 a second. Refusals a correct client never causes count (bad
 * signature, malformed, oversize, wrong chain, unknown or invalid message, unfunded or unauthorized
 * sender); a resend or a race (DUPLICATE, BAD_NONCE) and a full mempool do not. While a client's
 * budget is spent, each of its submissions is held for up to two seconds (at most two at a time;
 * more get no wait) and then answered {@code 429 TOO_MANY_REFUSALS} with {@code Retry-After}, its
 * transactions unread and unchecked. A client with no counted refusals is never tracked, held or
 * refused by this rule.
 */
package org.fedledger.node.api.budget;
