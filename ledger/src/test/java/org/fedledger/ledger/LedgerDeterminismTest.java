package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.TestNet.INITIAL;
import static org.fedledger.ledger.TestNet.address;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identical proposals give identical chains; random workloads conserve the supply. */
class LedgerDeterminismTest {
  private static final int ACCOUNTS = 12;

  /** Random blocks of transfers, some overdrawn, some with wrong nonces, some to new accounts. */
  private static List<BlockProposal> workload(long seed, int blocks) {
    Random random = new Random(seed);
    long[] nonces = new long[ACCOUNTS];
    List<BlockProposal> out = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      List<SignedTransaction> txs = new ArrayList<>();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS + 4); // a few recipients with no account yet
        long amount = 1L + random.nextInt((int) (INITIAL / 3));
        long nonce = random.nextInt(10) == 0 ? nonces[from] + 3 : nonces[from]++;
        txs.add(TestNet.transfer(from, to, amount, nonce));
      }
      out.add(TestNet.proposal(TestNet.GENESIS_TIME + 1000L * (b + 1), txs));
    }
    return out;
  }

  private static long sumOfBalances(Ledger ledger) {
    long sum = 0;
    for (int i = 0; i < ACCOUNTS + 4; i++) {
      sum += ledger.account(address(i)).balance();
    }
    return sum;
  }

  @Test
  void twoLedgersFedTheSameProposalsAgreeAtEveryHeight(@TempDir Path a, @TempDir Path b) {
    Genesis genesis = TestNet.genesis(ACCOUNTS, 3);
    List<BlockProposal> blocks = workload(1, 30);
    try (Ledger one = Ledger.open(a, genesis);
        Ledger two =
            Ledger.open(b, genesis, new Ledger.Options(16, 10, 1))) { // other tuning, same result
      assertThat(two.lastBlockHash()).isEqualTo(one.lastBlockHash());
      for (BlockProposal p : blocks) {
        BlockResult r1 = one.applyBlock(p, new byte[] {1});
        BlockResult r2 = two.applyBlock(p, new byte[] {2});
        assertThat(r2.blockHash()).as("height %d", r1.height()).isEqualTo(r1.blockHash());
        assertThat(r2.stateRoot()).isEqualTo(r1.stateRoot());
        assertThat(r2.receipts()).isEqualTo(r1.receipts());
      }
      assertThat(two.height()).isEqualTo(30);
    }
  }

  @Test
  void supplyIsConservedOverRandomTransfers(@TempDir Path dir) {
    Genesis genesis = TestNet.genesis(ACCOUNTS, 1);
    long supply = ACCOUNTS * INITIAL;
    try (Ledger ledger = Ledger.open(dir, genesis)) {
      int failed = 0;
      for (BlockProposal p : workload(99, 40)) {
        BlockResult r = ledger.applyBlock(p, new byte[0]);
        failed += (int) r.receipts().stream().filter(rc -> !rc.getError().isEmpty()).count();
        assertThat(ledger.totalSupply()).isEqualTo(supply);
        assertThat(sumOfBalances(ledger)).isEqualTo(supply);
      }
      assertThat(failed).as("the workload exercises failures too").isPositive();
      for (int i = 0; i < ACCOUNTS + 4; i++) {
        assertThat(ledger.account(address(i)).balance()).isNotNegative();
      }
    }
  }

  @Test
  void sameGenesisGivesTheSameGenesisHashWhateverTheListOrder() {
    Genesis g = TestNet.genesis(5, 3);
    List<Genesis.Account> reversed = new ArrayList<>(g.accounts());
    java.util.Collections.reverse(reversed);
    List<ValidatorInfo> vs = new ArrayList<>(g.validators());
    java.util.Collections.reverse(vs);
    Genesis shuffled = new Genesis(g.chainId(), g.genesisTimeMillis(), g.admin(), vs, reversed);
    assertThat(Ledger.genesisHash(shuffled)).isEqualTo(Ledger.genesisHash(g));
    Genesis richer =
        new Genesis(
            g.chainId(),
            g.genesisTimeMillis(),
            g.admin(),
            g.validators(),
            List.of(new Genesis.Account(address(1), 1)));
    assertThat(Ledger.genesisHash(richer)).isNotEqualTo(Ledger.genesisHash(g));
  }
}
