package io.glimpse.ops.it;

import java.nio.file.Path;

/** {@link EndToEndContract} on the embedded stack: runs everywhere. */
class PipelineEndToEndTest extends EndToEndContract {

  @Override
  TestStack startStack(Path dir) {
    return EmbeddedTestStack.start(dir);
  }
}
