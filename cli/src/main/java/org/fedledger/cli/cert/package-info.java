/**
 * {@code fedledger cert}: the admin issues certificates of the consortium's CA to new members and
 * validators, and revokes them.
 */
package org.fedledger.cli.cert;
