/** fedledger bench module. */
package org.fedledger.bench;
