/** File-system helpers shared by the modules. */
package org.fedledger.core.io;
