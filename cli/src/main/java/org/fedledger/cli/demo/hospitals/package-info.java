/**
 * The data of {@code fedledger demo --scenario hospitals}: synthetic patient records that the
 * project generates, one CSV file per hospital.
 */
package org.fedledger.cli.demo.hospitals;
