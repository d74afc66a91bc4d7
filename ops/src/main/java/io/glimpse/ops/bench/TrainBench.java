package io.glimpse.ops.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.ops.bench.TrainSettings.Layout;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingStepProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench train}: one training step of the default recipe's network (forward, loss,
 * backward, optimizer step) as {@code glimpse train} takes it, side by side with PyTorch eager on
 * the same network, batch and threads, in one run. Every side first takes its warm-up steps; then
 * the sides take turns, a few steps each, round after round, so that a busy machine slows them
 * alike. Optionally one worker's step is also timed phase by phase on the calling thread, beside
 * PyTorch's phases, to show where the time goes.
 */
public final class TrainBench {
  private static final Logger LOG = LoggerFactory.getLogger(TrainBench.class);
  private static final String[] PHASES = {"forward", "loss", "backward", "read_back", "optimizer"};

  private TrainBench() {}

  /**
   * Runs the benchmark; libtorch's intra-op threads of the calling thread are restored after it.
   *
   * @throws TrainingException when a training step fails
   * @throws IllegalStateException when the two sides' networks have different parameter counts
   */
  public static TrainReport run(TrainSettings settings) throws TrainingException {
    Engine.getEngine("PyTorch");
    int threadsBefore = JniUtils.getNumThreads();
    int cores = Runtime.getRuntime().availableProcessors();
    try (Workspace workspace = Workspace.create()) {
      Optional<PyTorchTraining> pytorch =
          settings.pytorch()
              ? PyTorchTraining.start(workspace.resolve("pytorch"))
              : Optional.empty();
      try {
        return measure(settings, workspace, pytorch, cores);
      } finally {
        pytorch.ifPresent(PyTorchTraining::close);
        JniUtils.setNumThreads(threadsBefore);
      }
    }
  }

  private static TrainReport measure(
      TrainSettings settings, Workspace workspace, Optional<PyTorchTraining> pytorch, int cores)
      throws TrainingException {
    Batches batches = new Batches(settings);
    List<Subject> subjects = new ArrayList<>();
    try {
      for (Layout layout : settings.layouts()) {
        subjects.add(Subject.start(settings, layout, workspace, batches));
      }
      Subject breakdown =
          settings.breakdown()
              ? Subject.start(settings, new Layout(1, cores), workspace, batches)
              : null;
      if (breakdown != null) { // the calling thread's own warm-up
        breakdown.timedSteps(Math.max(1, settings.warmup()), batches, new LinkedHashMap<>());
        breakdown.times.clear();
      }
      long parameters = subjects.get(0).probe.trainableParameters();
      Optional<JsonNode> built = pytorch.flatMap(p -> p.build(settings, cores));
      built.ifPresent(b -> checkSameNetwork(settings, parameters, b));
      Optional<PyTorchTraining> other = built.flatMap(b -> pytorch);
      Map<String, List<Double>> pytorchTimes = new LinkedHashMap<>();
      other.ifPresent(p -> p.steps(Math.max(1, settings.warmup())));
      Map<String, List<Double>> phases = new LinkedHashMap<>();
      for (int round = 0; round < settings.rounds(); round++) {
        int steps = settings.stepsInRound(round);
        for (Subject subject : subjects) {
          subject.steps(steps, batches);
        }
        if (breakdown != null) {
          breakdown.timedSteps(steps, batches, phases);
        }
        other.ifPresent(p -> add(pytorchTimes, p.steps(steps)));
      }
      List<TrainReport.Side> sides = new ArrayList<>();
      double pytorchMedian = other.isPresent() ? median(pytorchTimes.get("step_ms")) : Double.NaN;
      for (Subject subject : subjects) {
        sides.add(subject.side(settings.batchSize(), pytorchMedian));
      }
      if (other.isPresent()) {
        List<Double> steps = pytorchTimes.get("step_ms");
        sides.add(
            TrainReport.Side.of(
                "PyTorch eager", 1, cores, steps, settings.batchSize(), pytorchMedian));
      }
      List<TrainReport.Phase> phaseRows = new ArrayList<>();
      if (breakdown != null) {
        for (String phase : PHASES) {
          List<Double> mine = phases.get(phase);
          List<Double> theirs = pytorchTimes.get(phase + "_ms");
          phaseRows.add(
              new TrainReport.Phase(phase, median(mine), theirs == null ? null : median(theirs)));
        }
        phaseRows.add(
            new TrainReport.Phase(
                "whole step", median(breakdown.times), other.isPresent() ? pytorchMedian : null));
      }
      TrainReport report =
          new TrainReport(
              "mobilenet_v1 alpha="
                  + settings.width()
                  + " "
                  + settings.input().channels()
                  + "x"
                  + settings.inputSize()
                  + "x"
                  + settings.inputSize(),
              settings.classes(),
              parameters,
              settings.batchSize(),
              settings.steps(),
              settings.warmup(),
              cores,
              built.map(b -> b.get("torch").asText()).orElse(null),
              built.map(b -> b.get("cpus_inherited").toString()).orElse(null),
              Malloc.inUse(),
              median(batches.copyMillis),
              sides,
              phaseRows);
      LOG.info("bench train: {}", report.toJson());
      return report;
    } finally {
      for (Subject subject : subjects) {
        subject.probe.close();
      }
    }
  }

  private static void add(Map<String, List<Double>> times, JsonNode reply) {
    for (Map.Entry<String, JsonNode> e : reply.properties()) {
      List<Double> list = times.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      e.getValue().forEach(v -> list.add(v.asDouble()));
    }
  }

  private static void checkSameNetwork(TrainSettings settings, long glimpse, JsonNode pytorch) {
    long trainable = pytorch.get("trainable").asLong();
    if (trainable != glimpse) {
      throw new IllegalStateException(
          "α "
              + settings.width()
              + ": Glimpse's network has "
              + glimpse
              + " trainable parameters, PyTorch's "
              + trainable
              + "; bench/pytorch_engine.py no longer builds the same MobileNetV1, fix it");
    }
  }

  static double median(List<Double> values) {
    return EngineBench.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Libtorch's intra-op threads as a thread started now sees them (as a new worker would). */
  private static int threadsOfNewThread() {
    AtomicInteger seen = new AtomicInteger();
    Thread thread = new Thread(() -> seen.set(JniUtils.getNumThreads()), "bench-train-probe");
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return seen.get();
  }

  /** One random batch, fixed for the run, copied into a fresh manager for every step. */
  private static final class Batches {
    private final float[] images;
    private final float[] labels;
    private final Shape shape;
    private final List<Double> copyMillis = new ArrayList<>();

    Batches(TrainSettings settings) {
      Random random = new Random(42);
      shape = settings.input().toBatchShape(settings.batchSize());
      images = new float[(int) shape.size()];
      for (int i = 0; i < images.length; i++) {
        images[i] = (float) random.nextGaussian();
      }
      labels = new float[settings.batchSize()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = random.nextInt(settings.classes());
      }
    }

    /** The batch in {@code manager}: [images, labels]. */
    NDArray[] make(NDManager manager) {
      long start = System.nanoTime();
      NDArray[] batch = {manager.create(images, shape), manager.create(labels)};
      copyMillis.add((System.nanoTime() - start) / 1e6);
      return batch;
    }
  }

  /** One Glimpse layout: its probe and the step times measured. */
  private static final class Subject {
    private final Layout layout;
    private final TrainingStepProbe probe;
    private final int threadsSeen;
    private final List<Double> times = new ArrayList<>();
    private float firstLoss = Float.NaN;
    private float lastLoss = Float.NaN;

    private Subject(Layout layout, TrainingStepProbe probe, int threadsSeen) {
      this.layout = layout;
      this.probe = probe;
      this.threadsSeen = threadsSeen;
    }

    /**
     * Builds the layout's probe and takes its warm-up steps (at least one, which starts its workers
     * while libtorch's thread count is the layout's: a thread keeps the count it started with).
     */
    static Subject start(
        TrainSettings settings, Layout layout, Workspace workspace, Batches batches)
        throws TrainingException {
      JniUtils.setNumThreads(layout.threads());
      int seen = threadsOfNewThread();
      TrainingStepProbe probe =
          new TrainingStepProbe(
              settings.config(layout.workers(), workspace.resolve("out-" + layout)),
              settings.input(),
              settings.classes());
      Subject subject = new Subject(layout, probe, seen);
      try {
        for (int i = 0; i < Math.max(1, settings.warmup()); i++) {
          subject.step(batches, false);
        }
      } catch (TrainingException | RuntimeException e) {
        probe.close();
        throw e;
      }
      return subject;
    }

    void steps(int count, Batches batches) throws TrainingException {
      for (int i = 0; i < count; i++) {
        step(batches, true);
      }
    }

    private void step(Batches batches, boolean keep) throws TrainingException {
      NDManager manager = probe.manager().newSubManager();
      NDArray[] batch = batches.make(manager);
      long start = System.nanoTime();
      float loss = probe.step(manager, batch[0], batch[1]);
      double millis = (System.nanoTime() - start) / 1e6;
      if (keep) {
        times.add(millis);
        firstLoss = Float.isNaN(firstLoss) ? loss : firstLoss;
        lastLoss = loss;
      }
    }

    /** Phase-timed steps on the calling thread, with this layout's intra-op threads. */
    void timedSteps(int count, Batches batches, Map<String, List<Double>> phases) {
      if (JniUtils.getNumThreads() != layout.threads()) {
        JniUtils.setNumThreads(layout.threads());
      }
      for (int i = 0; i < count; i++) {
        NDManager manager = probe.manager().newSubManager();
        NDArray[] batch = batches.make(manager);
        TrainingStepProbe.Phases p = probe.timedStep(manager, batch[0], batch[1]);
        double[] values = {p.forward(), p.loss(), p.backward(), p.readBack(), p.optimizer()};
        double total = 0;
        for (int k = 0; k < PHASES.length; k++) {
          phases.computeIfAbsent(PHASES[k], x -> new ArrayList<>()).add(values[k]);
          total += values[k];
        }
        times.add(total);
      }
    }

    TrainReport.Side side(int batchSize, double pytorchMedian) {
      TrainReport.Side side =
          TrainReport.Side.of(
              "Glimpse " + layout.workers() + " worker" + (layout.workers() == 1 ? "" : "s"),
              layout.workers(),
              layout.threads(),
              times,
              batchSize,
              pytorchMedian);
      return side.withGlimpseDetails(threadsSeen, firstLoss, lastLoss);
    }
  }
}
