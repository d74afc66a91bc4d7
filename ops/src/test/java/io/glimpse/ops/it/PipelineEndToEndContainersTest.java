package io.glimpse.ops.it;

import java.nio.file.Path;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link EndToEndContract} on Apache Kafka and Confluent's Schema Registry in containers: runs
 * where a Docker engine is, and is reported as skipped elsewhere (CI has none).
 */
@Testcontainers(disabledWithoutDocker = true)
class PipelineEndToEndContainersTest extends EndToEndContract {

  @Override
  TestStack startStack(Path dir) {
    return ContainerTestStack.start();
  }
}
