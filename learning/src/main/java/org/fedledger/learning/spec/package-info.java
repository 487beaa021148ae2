/** Parsing shared by the option specs of strategies and training schedules. */
package org.fedledger.learning.spec;
