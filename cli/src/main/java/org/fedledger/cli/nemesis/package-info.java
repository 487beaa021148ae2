/**
 * The nemesis, in the style of Jepsen: validators in their own processes on loopback ({@link
 * org.fedledger.cli.nemesis.NodeProcess}), faults injected into them, a workload that records what
 * the cluster acknowledged, and a checker that proves afterwards that nothing acknowledged was lost
 * or applied twice and that no node diverged. {@code fedledger bench nemesis} runs it.
 *
 * <h2>How partitions are made</h2>
 *
 * A validator's Raft address is on chain and {@code MembershipSync} keeps Raft's group equal to it,
 * so every node must dial a peer at the same address. The addresses are therefore host names
 * ({@code node-j.nemesis:PORT}), and each process resolves them through its own hosts file ({@code
 * -Djdk.net.hosts.file}, JDK 18+): to 127.0.0.1 for itself, and for peer j to 127.0.(i+1).(j+1),
 * where the {@link org.fedledger.cli.nemesis.LinkProxy} of the directed link i→j listens on j's
 * port and forwards to j. Ratis' gRPC (Netty) resolves targets through the JDK's resolver, so it
 * honours the file; cutting, slowing and healing a link is then a switch in this JVM.
 *
 * <p>Network namespaces would be closer to a real network, but they need root (CAP_NET_ADMIN) and
 * the {@code ip} tool, which a developer's machine or a CI runner may not grant; the proxies need
 * nothing but loopback, where every 127.x.y.z is local on Linux. What they cannot do: drop single
 * packets, or cut the API and blob traffic (clients reach every node directly, as they would
 * outside a partition).
 *
 * <p>The cluster runs plaintext. The proxies would pass TLS through unchanged, and init's validator
 * certificates name the Raft host, but the nemesis tests consensus under faults, not the handshake.
 *
 * <p>Clock and disk faults are {@link org.fedledger.cli.nemesis.FaultKind}s whose primitives live
 * in the sub-packages {@code clock} and {@code disk}. The disk faults also judge the node's answer:
 * a full disk must stop it with status 70, a damaged data file must make it refuse to start with
 * the remedy in its log ({@link org.fedledger.cli.nemesis.FullDiskFault}, {@link
 * org.fedledger.cli.nemesis.DamagedFileFault}); a wrong answer is a violation of the run.
 */
package org.fedledger.cli.nemesis;
