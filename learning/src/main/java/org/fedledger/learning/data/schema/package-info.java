/**
 * The dataset schema: the JSON contract between a job's members about their data (format, features,
 * label and task, input shape), its validation, and its canonical hash recorded on the chain.
 */
package org.fedledger.learning.data.schema;
