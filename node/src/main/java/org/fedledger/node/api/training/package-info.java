/**
 * Read-only REST views of the training contracts: jobs with their rounds and participants,
 * datasets, models with their lineage, and stake. {@link
 * org.fedledger.node.api.training.TrainingRoutes} lists the endpoints; {@link
 * org.fedledger.node.api.training.ProtoJson} turns the stored protobuf records into JSON with hex
 * bytes.
 */
package org.fedledger.node.api.training;
