package org.fedledger.consensus.app;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the application's state in a directory, creating it from genesis if it is empty. */
@FunctionalInterface
public interface ApplicationFactory {
  Application open(Path dir) throws IOException;
}
