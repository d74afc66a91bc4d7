package io.glimpse.ops.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.schemas.avro.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python peer: the pipeline's job done by {@code bench/python_peer.py}, a loop a careful Python
 * user would write (Confluent's Python client, the registry's Avro framing, PIL, PyTorch eager,
 * commit after produce), run by Debian's {@code /usr/bin/python3} in a subprocess on the same
 * images and the same embedded broker. Its predictions are read back with the pipeline's own
 * deserializer, so a peer that skipped work would fail here rather than look fast.
 *
 * @param status {@code ran}, {@code skipped (why)} or {@code failed (why)}
 * @param measured what the script printed (images, seconds, images_per_s, ms_per_image, versions),
 *     and the settings it ran with; empty unless it ran
 */
record PythonPeer(String status, Map<String, Object> measured) {
  static final Path PYTHON = Path.of(PyTorchBaseline.PYTHON);
  private static final Logger LOG = LoggerFactory.getLogger(PythonPeer.class);
  private static final List<String> SCRIPTS = List.of("python_peer.py", "pytorch_engine.py");

  /** The modules the script imports, and the Debian packages that bring them. */
  private static final Map<String, String> MODULES =
      new TreeMap<>(
          Map.of(
              "confluent_kafka", "python3-confluent-kafka",
              "avro", "python3-avro",
              "PIL", "python3-pil",
              "numpy", "python3-numpy",
              "torch", "python3-torch"));

  private static final Pattern MISSING = Pattern.compile("No module named '([^'.]+)");

  /**
   * Why the peer will not run, or empty when it will: {@code --no-peer}, or (by default) a Python
   * that cannot import what the script needs.
   *
   * @throws IllegalStateException when {@code --peer} asked for it and Python cannot run it
   */
  static Optional<String> skipReason(BenchSettings settings) {
    if (settings.peer() == BenchSettings.Peer.OFF) {
      return Optional.of("--no-peer");
    }
    Optional<String> unavailable = whyUnavailable(PYTHON);
    if (unavailable.isPresent() && settings.peer() == BenchSettings.Peer.ON) {
      throw new IllegalStateException(
          "--peer: " + unavailable.get() + "; install it, or run with --no-peer");
    }
    return unavailable;
  }

  /** Why {@code python} cannot run the script (with the Debian package to install), or empty. */
  static Optional<String> whyUnavailable(Path python) {
    if (!Files.isExecutable(python)) {
      return Optional.of("no " + python);
    }
    String imports = "import " + String.join(", ", MODULES.keySet());
    try {
      Process process =
          new ProcessBuilder(python.toString(), "-c", imports).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of(python + " took over 60 s to import " + MODULES.keySet());
      }
      if (process.exitValue() == 0) {
        return Optional.empty();
      }
      Matcher missing = MISSING.matcher(output);
      if (missing.find() && MODULES.containsKey(missing.group(1))) {
        return Optional.of(
            python
                + " cannot import "
                + missing.group(1)
                + " (Debian: apt-get install "
                + MODULES.get(missing.group(1))
                + ")");
      }
      return Optional.of(python + " cannot import " + MODULES.keySet() + ": " + lastLine(output));
    } catch (IOException e) {
      return Optional.of("cannot start " + python + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking " + python);
    }
  }

  /** The peer that did not run, for {@code why}. */
  static PythonPeer skipped(String why) {
    return new PythonPeer("skipped (" + why + ")", Map.of());
  }

  /**
   * Publishes the images to fresh topics, runs the script over them and reads its predictions back.
   * A failure of the script is reported, not thrown: the pipeline's numbers stand without it.
   *
   * @param timeout how long the script may take to classify every image
   */
  static PythonPeer run(BenchContext context, Duration timeout) {
    BenchTopics topics = context.topics("bench-python-peer");
    try (ImagePublisher publisher = new ImagePublisher(context.stack().bootstrapServers())) {
      publisher.publishAll(topics.images(), context.images());
    }
    Path dir = context.workspace().resolve("python-peer");
    Map<String, Object> config = config(context, topics, timeout);
    JsonNode reply;
    try {
      reply = runScript(dir, config, timeout.plusSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run the Python peer in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted");
    }
    if (reply.has("error")) {
      return failed(reply.get("error").asText());
    }
    int images = context.images().count();
    try (PredictionCollector collector =
        new PredictionCollector(
            context.stack().bootstrapServers(), context.clientConfig(), topics)) {
      collector.collect(images, Duration.ofSeconds(60), () -> {});
    } catch (IllegalStateException e) {
      return failed("its predictions do not read back: " + e.getMessage());
    }
    Map<String, Object> measured =
        new LinkedHashMap<>(new ObjectMapper().convertValue(reply, new TypeReference<>() {}));
    measured.put("predictions_read_back", images);
    measured.put("batch_size", config.get("batch"));
    measured.put("consume_timeout_ms", config.get("linger_ms"));
    measured.put(
        "loop",
        "confluent_kafka Consumer.consume(batch) -> MessageSerializer.decode_message (python3-avro)"
            + " -> PIL open, draft, convert, resize bilinear -> numpy normalize -> torch eager"
            + " no_grad, softmax, topk -> Avro Prediction produce -> flush -> commit (sync)");
    measured.put("ld_preload", String.valueOf(System.getenv("LD_PRELOAD")));
    LOG.info(
        "Python peer: {} images in {} s: {} images/s",
        reply.path("images").asInt(),
        String.format(Locale.ROOT, "%.1f", reply.path("seconds").asDouble()),
        Math.round(reply.path("images_per_s").asDouble()));
    return new PythonPeer("ran", measured);
  }

  private static PythonPeer failed(String why) {
    LOG.warn("The Python peer failed: {}", why);
    return new PythonPeer("failed (" + why + ")", Map.of());
  }

  private static Map<String, Object> config(
      BenchContext context, BenchTopics topics, Duration timeout) {
    BenchSettings settings = context.settings();
    ModelManifest manifest = context.manifest();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap", context.stack().bootstrapServers());
    config.put("registry", context.stack().schemaRegistryUrl());
    config.put("images_topic", topics.images());
    config.put("predictions_topic", topics.predictions());
    config.put("group", topics.phase());
    config.put("images", context.images().count());
    config.put("alpha", manifest.getWidthMultiplier());
    config.put("channels", manifest.getInputShape().channels());
    config.put("size", manifest.getInputShape().height());
    config.put("labels", manifest.getLabels());
    config.put("mean", manifest.getNormalization().mean());
    config.put("std", manifest.getNormalization().std());
    config.put("model_name", manifest.getName());
    config.put("model_version", manifest.getVersion());
    config.put("batch", settings.batchSize());
    config.put("threads", settings.peerThreadsOrDefault());
    config.put("linger_ms", settings.lingerMs());
    config.put("top_k", 5);
    config.put("prediction_schema", Prediction.getClassSchema().toString());
    config.put("timeout_s", timeout.toSeconds());
    return config;
  }

  /** Writes the scripts and the config into {@code dir}, runs them, returns the printed line. */
  private static JsonNode runScript(Path dir, Map<String, Object> config, Duration limit)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (String script : SCRIPTS) {
      try (InputStream in = PythonPeer.class.getResourceAsStream("/bench/" + script)) {
        if (in == null) {
          throw new IOException("bench/" + script + " is missing from the classpath");
        }
        Files.copy(in, dir.resolve(script));
      }
    }
    Path configFile = dir.resolve("config.json");
    Files.writeString(configFile, Json.write(config));
    Path log = dir.resolve("python_peer.log");
    Path out = dir.resolve("python_peer.out");
    Process process =
        new ProcessBuilder(
                PYTHON.toString(), dir.resolve(SCRIPTS.get(0)).toString(), configFile.toString())
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .start();
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      return error("it ran over " + limit.toSeconds() + " s; " + tail(log));
    }
    String line = lastLine(Files.readString(out));
    if (process.exitValue() != 0 || !line.startsWith("{")) {
      return error("exit " + process.exitValue() + "; " + tail(log));
    }
    return new ObjectMapper().readTree(line);
  }

  private static JsonNode error(String message) {
    return new ObjectMapper().createObjectNode().put("error", message);
  }

  private static String tail(Path log) throws IOException {
    return Files.exists(log) ? lastLine(Files.readString(log)) : "no output";
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\\R");
    return lines[lines.length - 1];
  }

  /** The report's fields: the peer's rate and the pipeline's against it, or why it did not run. */
  Map<String, Object> fields(PipelineThroughput.Result pipeline) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("peer", status);
    if (!measured.isEmpty()) {
      double rate = ((Number) measured.get("images_per_s")).doubleValue();
      f.put("peer_images_per_s", rate);
      f.put("pipeline_over_peer", pipeline.imagesPerSecond() / rate);
      f.put("peer_details", measured);
    }
    return f;
  }
}
