package io.glimpse.ops.it;

import io.glimpse.ops.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/** Glimpse's embedded stack (KRaft broker and registry in this JVM, on 127.0.0.1). */
record EmbeddedTestStack(EmbeddedStack stack) implements TestStack {

  /** Starts a stack keeping its data under {@code dataDir}. */
  static EmbeddedTestStack start(Path dataDir) {
    return new EmbeddedTestStack(EmbeddedStack.builder().optDataDir(dataDir).build().start());
  }

  @Override
  public String bootstrapServers() {
    return stack.bootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return stack.schemaRegistryUrl();
  }

  @Override
  public Map<String, Object> clientConfig() {
    return stack.clientConfig();
  }

  @Override
  public void createTopics(List<NewTopic> topics) {
    stack.broker().createTopics(topics);
  }

  @Override
  public void close() {
    stack.close();
  }
}
