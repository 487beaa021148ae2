/**
 * The GET endpoints over the market contract: offers, payment channels, a model's claims and the
 * royalties each of its contributors received. The OpenAPI document describes them.
 */
package org.fedledger.node.api.market;
