package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.Test;

class JobMarksTest {
  private final JobMarks marks = new JobMarks();
  private final Hash jobA = Sha256.hash(new byte[] {1});
  private final Hash jobB = Sha256.hash(new byte[] {2});

  @Test
  void aMarkIsAddedOncePerJobAndCanBeTakenBack() {
    assertThat(marks.add(jobA, "submitted/1/0")).isTrue();
    assertThat(marks.add(jobA, "submitted/1/0")).isFalse();
    assertThat(marks.add(jobB, "submitted/1/0")).as("same mark, other job").isTrue();

    marks.remove(jobA, "submitted/1/0");

    assertThat(marks.add(jobA, "submitted/1/0")).as("tried again after a failure").isTrue();
    assertThat(marks.add(jobB, "submitted/1/0")).as("the other job's mark stays").isFalse();
  }

  /** A node running job after job keeps only its live jobs' marks. */
  @Test
  void jobsThatAreNoLongerLiveAreForgotten() {
    marks.add(jobA, "submitted/1/0");
    marks.add(jobB, "submitted/1/0");

    marks.retain(Set.of(jobB));

    assertThat(marks.jobs()).isEqualTo(1);
    assertThat(marks.add(jobB, "submitted/1/0")).as("the live job's mark stays").isFalse();
    assertThat(marks.add(jobA, "submitted/1/0")).as("the finished job's marks are gone").isTrue();
  }

  @Test
  void removingAMarkOfAnUnknownJobChangesNothing() {
    marks.remove(jobA, "anything");

    assertThat(marks.jobs()).isZero();
  }
}
