package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.proto.training.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job lists page by a byte budget as well as by count, so a reader (the API, under the ledger's
 * read lock) can bound what one request reads however large the records have grown.
 */
class JobPagingTest {
  @TempDir Path dir;

  @Test
  void aByteBudgetEndsThePageEarlyButNeverBeforeTheFirstJob() {
    try (TrainingNet net = new TrainingNet(dir)) {
      for (int i = 0; i < 3; i++) {
        new JobDriver(net)
            .createAndJoin(TrainingNet.job(2, 2, 1_000 + i).build(), 1 + 2 * i, 2 + 2 * i);
      }
      List<Job> all = page(net, 0, 10, Long.MAX_VALUE);
      assertThat(all).hasSize(3);
      long one = all.get(0).getSerializedSize();
      long two = one + all.get(1).getSerializedSize();

      assertThat(page(net, 0, 10, 1)).containsExactly(all.get(0));
      assertThat(page(net, 0, 10, two)).containsExactly(all.get(0), all.get(1));
      assertThat(page(net, 0, 10, two - 1)).containsExactly(all.get(0));
      assertThat(page(net, 1, 1, Long.MAX_VALUE)).containsExactly(all.get(1));
      assertThat(page(net, 3, 10, Long.MAX_VALUE)).isEmpty();
    }
  }

  private static List<Job> page(TrainingNet net, long from, int limit, long maxBytes) {
    return net.query(q -> net.training().jobs(q, from, limit, maxBytes));
  }
}
