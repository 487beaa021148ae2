/**
 * The nemesis: validators in their own processes on loopback, faults injected into them (network
 * partitions, slow links, kill -9, SIGSTOP pauses), a workload that records what the cluster
 * acknowledged, and a checker that proves afterwards that nothing acknowledged was lost or applied
 * twice and that no node diverged. {@code fedledger bench nemesis} runs it.
 */
package org.fedledger.cli.nemesis;
