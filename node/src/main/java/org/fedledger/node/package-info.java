/** fedledger node module. */
package org.fedledger.node;
