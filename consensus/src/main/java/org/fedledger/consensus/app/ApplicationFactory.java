package org.fedledger.consensus.app;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the application's state in a directory, creating it from genesis if it is empty.
 *
 * @param <A> the application's own type, so that a holder can reach what only it offers
 */
@FunctionalInterface
public interface ApplicationFactory<A extends Application> {
  A open(Path dir) throws IOException;
}
