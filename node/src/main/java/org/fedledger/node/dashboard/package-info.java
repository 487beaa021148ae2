/**
 * The web dashboard and explorer every node serves at {@code /}: plain HTML, CSS and JavaScript
 * modules from the jar (resources under {@code /dashboard}), no build step and no network access
 * but the node's own API. {@link org.fedledger.node.dashboard.Dashboard} hooks the files into the
 * API server.
 */
package org.fedledger.node.dashboard;
