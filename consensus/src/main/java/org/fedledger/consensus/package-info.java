/** fedledger consensus module. */
package org.fedledger.consensus;
