/** fedledger cli module. */
package org.fedledger.cli;
