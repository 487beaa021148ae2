package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
  @Test
  void pytorchEngineLoadsOfflineFromTheClasspathJar() {
    Engine engine = Engines.pytorch();
    assertThat(engine.getEngineName()).isEqualTo("PyTorch");
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    // The bundled native library, not a downloaded one of another version.
    assertThat(engine.getVersion()).startsWith("2.7.1");
    assertThat(System.getProperty("ai.djl.pytorch.num_threads")).isEqualTo("1");
    try (NDManager m = engine.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3});
      assertThat(a.sum().getFloat()).isEqualTo(6f);
    }
  }
}
