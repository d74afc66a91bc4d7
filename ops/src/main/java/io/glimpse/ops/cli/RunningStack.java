package io.glimpse.ops.cli;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.ops.embedded.EmbeddedStack;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The embedded stack as the CLI runs it: started, announced, kept alive until a deadline or a
 * signal (a shutdown hook stops it cleanly on Ctrl-C / SIGTERM), then stopped, saying so once.
 */
final class RunningStack implements AutoCloseable {
  /** How long a signal waits for the command to stop what runs on the stack before stopping it. */
  private static final Duration COMMAND_GRACE = Duration.ofSeconds(45);

  private final EmbeddedStack stack;
  private final Duration startupTime;
  private final PrintWriter out;
  private final Thread shutdownHook;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean stopped;

  private RunningStack(EmbeddedStack stack, Duration startupTime, PrintWriter out) {
    this.stack = stack;
    this.startupTime = startupTime;
    this.out = out;
    this.shutdownHook = new Thread(this::stopOnSignal, "glimpse-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the stack the options describe; fails with the broker's typed exception. */
  static RunningStack start(StackOptions options, PrintWriter out) {
    EmbeddedStack stack = options.newStack();
    long startNanos = System.nanoTime();
    try {
      stack.start();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return new RunningStack(stack, Duration.ofNanos(System.nanoTime() - startNanos), out);
  }

  /** One line saying where the stack is and how long it took to start. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "Kafka at %s, schema registry at %s (data dir %s, ready in %.1f s)",
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        stack.broker().dataDir(),
        startupTime.toMillis() / 1000.0);
  }

  /** Client settings reaching the stack: bootstrap servers and schema registry URL. */
  Map<String, Object> clientConfig() {
    return stack.clientConfig();
  }

  /** Kafka and the registry of a stack, for the trainer's publishing classes. */
  static KafkaConnection kafka(Map<String, Object> clientConfig) {
    return KafkaConnection.builder()
        .setBootstrapServers(String.valueOf(clientConfig.get("bootstrap.servers")))
        .setSchemaRegistryUrl(String.valueOf(clientConfig.get("schema.registry.url")))
        .build();
  }

  /** Whether Ctrl-C or SIGTERM asked the command to stop. */
  boolean stopping() {
    return stopRequested.getCount() == 0;
  }

  /** Blocks until a signal asks to stop, or {@code duration} passes (zero: no deadline). */
  void await(Duration duration) throws InterruptedException {
    if (duration.isZero()) {
      stopRequested.await();
    } else {
      stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops the stack. Called by the command once it has stopped what it ran on the stack (the
   * pipeline, say), also when a signal started the shutdown: the hook waits for this.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook waits for this close before it returns.
    }
    stopStack();
    closed.countDown();
  }

  /** Lets the command stop its own work first, then makes sure the stack is stopped. */
  private void stopOnSignal() {
    out.println("Stopping...");
    out.flush();
    stopRequested.countDown();
    try {
      closed.await(COMMAND_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopStack();
  }

  /** Stops the stack once, whoever gets here first; the other waits until it has stopped. */
  private synchronized void stopStack() {
    if (stopped) {
      return;
    }
    stopped = true;
    stack.close();
    out.println("Stack stopped.");
    out.flush();
  }
}
