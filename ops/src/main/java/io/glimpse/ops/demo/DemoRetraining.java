package io.glimpse.ops.demo;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.PromotionGate;
import io.glimpse.model.store.ModelStore;
import io.glimpse.ops.retrain.RetrainLoop;
import io.glimpse.ops.retrain.RetrainRound;
import io.glimpse.ops.retrain.RetrainSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code glimpse demo --retrain-every N}: the retraining loop ({@link RetrainLoop}) on a thread
 * beside the demo's pipeline, on the demo's model and store, saying each round's decision.
 */
public final class DemoRetraining implements AutoCloseable {
  private final RetrainLoop loop;
  private final Thread thread;

  /**
   * Starts the loop on the images published from now on.
   *
   * @param kafka the demo's stack
   * @param store the demo's model store
   * @param model the demo's model name
   * @param every labelled images per round
   * @param workDirectory where the rounds' training runs write
   * @param say where each round's line goes
   */
  public DemoRetraining(
      KafkaConnection kafka,
      ModelStore store,
      String model,
      int every,
      Path workDirectory,
      Consumer<String> say) {
    RetrainSettings settings =
        RetrainSettings.builder()
            .setModel(model)
            .setKafka(kafka)
            .setStore(store)
            .setWorkDirectory(workDirectory)
            .optEvery(every)
            // the held-out share of a round, less the few images a round boundary splits
            .optGate(
                new PromotionGate(
                    Math.max(10, (int) (every * 0.2 * 0.9)), PromotionGate.DEFAULT_MIN_AGREEMENT))
            .build();
    this.loop =
        new RetrainLoop(
            settings,
            Map.of(),
            new RetrainLoop.Listener() {
              @Override
              public void onRound(RetrainRound round) {
                say.accept("Retrain " + round.summary());
              }

              @Override
              public void onSkipped(String why) {
                say.accept("Retrain round skipped: " + why);
              }
            });
    this.thread = new Thread(loop::run, "glimpse-demo-retrain");
    thread.setDaemon(true);
    thread.start();
  }

  /** Lets a round in progress finish (up to {@code timeout}), then stops. */
  public void stop(Duration timeout) throws InterruptedException {
    loop.stop();
    thread.join(timeout.toMillis());
  }

  @Override
  public void close() {
    loop.stop();
    if (!thread.isAlive()) {
      loop.close();
    }
  }
}
