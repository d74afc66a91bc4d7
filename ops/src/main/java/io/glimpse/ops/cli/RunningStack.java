package io.glimpse.ops.cli;

import io.glimpse.ops.embedded.EmbeddedStack;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The embedded stack as the CLI runs it: started, announced, kept alive until a deadline or a
 * signal (a shutdown hook stops it cleanly on Ctrl-C / SIGTERM), then stopped.
 */
final class RunningStack implements AutoCloseable {
  private final EmbeddedStack stack;
  private final Duration startupTime;
  private final Thread shutdownHook;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private RunningStack(EmbeddedStack stack, Duration startupTime, PrintWriter out) {
    this.stack = stack;
    this.startupTime = startupTime;
    this.shutdownHook = new Thread(() -> stopOnSignal(out), "glimpse-shutdown");
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

  /** Blocks until a signal stops the stack, or {@code duration} passes (zero: no deadline). */
  void await(Duration duration) throws InterruptedException {
    if (duration.isZero()) {
      stopped.await();
    } else {
      stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is stopping the stack.
      return;
    }
    stack.close();
  }

  private void stopOnSignal(PrintWriter out) {
    out.println("Stopping the stack...");
    stack.close();
    out.println("Stack stopped.");
    stopped.countDown();
  }
}
