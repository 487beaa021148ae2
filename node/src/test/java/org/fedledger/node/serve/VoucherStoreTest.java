package org.fedledger.node.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.SignedVoucher;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.testkit.CloseRace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The voucher store: a submitted voucher is on disk (read back after reopening) once its future
 * completes, the latest per channel wins, and a store that is closed refuses new saves with the
 * reason.
 */
class VoucherStoreTest {
  private static final Ed25519KeyPair CLIENT = Ed25519KeyPair.generate();
  private static final Hash CHANNEL = Sha256.hash(new byte[] {1});

  @TempDir Path dir;

  private static SignedVoucher voucher(long amount) {
    return Vouchers.sign(
        CLIENT,
        Voucher.newBuilder()
            .setChainId("test")
            .setChannelId(ByteString.copyFrom(CHANNEL.toByteArray()))
            .setNonce(0)
            .setAmount(amount)
            .build());
  }

  @Test
  void aSubmittedVoucherIsOnDiskOnceItsFutureCompletes() throws Exception {
    try (VoucherStore store = VoucherStore.open(dir)) {
      CompletableFuture<Void> first = store.submit(CHANNEL, voucher(1));
      CompletableFuture<Void> second = store.submit(CHANNEL, voucher(2));
      store.await(first, CHANNEL);
      store.await(second, CHANNEL);
    }
    try (VoucherStore reopened = VoucherStore.open(dir)) {
      assertThat(reopened.latest(CHANNEL)).contains(voucher(2));
    }
  }

  @Test
  void vouchersQueuedWithinTheGatherWindowShareOneSyncedWrite() throws Exception {
    // A window far longer than queuing ten vouchers takes, even on a loaded machine.
    List<Integer> syncSizes = new CopyOnWriteArrayList<>();
    try (VoucherStore store = VoucherStore.open(dir, Duration.ofMillis(100), syncSizes::add)) {
      List<CompletableFuture<Void>> saves = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        saves.add(store.submit(Sha256.hash(new byte[] {(byte) c}), voucher(c + 1)));
      }
      for (CompletableFuture<Void> save : saves) {
        store.await(save, CHANNEL);
      }
      // One synced write, of all ten.
      assertThat(syncSizes).containsExactly(10);
    }
    try (VoucherStore reopened = VoucherStore.open(dir, Duration.ZERO, vouchers -> {})) {
      for (int c = 0; c < 10; c++) {
        assertThat(reopened.latest(Sha256.hash(new byte[] {(byte) c}))).contains(voucher(c + 1));
      }
    }
  }

  @Test
  void aGatherWindowOutsideZeroToTheMaximumIsRefused() {
    assertThatThrownBy(() -> VoucherStore.open(dir, Duration.ofMillis(-1), vouchers -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gather window must be 0 to 100 ms");
    assertThatThrownBy(() -> VoucherStore.open(dir, Duration.ofMillis(101), vouchers -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 101 ms");
  }

  @Test
  void everyVoucherIsSavedOrRefusedWhenCloseRacesWithSubmits() throws Exception {
    // Paid calls wait untimed (PaymentGate.Payment.awaitSaved), so a close may leave none queued.
    VoucherStore store = VoucherStore.open(dir);
    List<CompletableFuture<Void>> taken =
        CloseRace.futuresTakenWhileClosing(
            4, 2_000, i -> store.submit(CHANNEL, voucher(i)), store::close);
    assertThat(taken).hasSize(8_000);
    for (CompletableFuture<Void> f : taken) {
      assertThat(
              f.handle((ok, e) -> e == null || e.getMessage().contains("closed"))
                  .get(5, TimeUnit.SECONDS))
          .isTrue();
    }
  }

  @Test
  void aClosedStoreRefusesToSaveAndSaysWhy() throws Exception {
    VoucherStore store = VoucherStore.open(dir);
    store.close();
    CompletableFuture<Void> refused = store.submit(CHANNEL, voucher(1));
    assertThatThrownBy(() -> store.await(refused, CHANNEL))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the voucher store is closed");
    assertThatThrownBy(() -> store.save(CHANNEL, voucher(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the voucher store is closed");
  }
}
