package io.glimpse.model.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} through Jackson's tree model: the field names are spelled out here once,
 * every value is type-checked, and the builder validates the result. Duplicate keys are rejected so
 * a manifest cannot say two things at once.
 */
final class ManifestJson {

  /** Bumped when a reader of the previous version would misread a new manifest. */
  static final int MANIFEST_VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ManifestJson() {}

  static byte[] write(ModelManifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("manifestVersion", MANIFEST_VERSION);
    root.put("name", m.getName());
    root.put("version", m.getVersion());
    root.put("format", m.getFormat().jsonName());
    root.put("architecture", m.getArchitecture());
    root.put("widthMultiplier", m.getWidthMultiplier());
    ObjectNode shape = root.putObject("inputShape");
    shape.put("channels", m.getInputShape().channels());
    shape.put("height", m.getInputShape().height());
    shape.put("width", m.getInputShape().width());
    ObjectNode normalization = root.putObject("normalization");
    m.getNormalization().mean().forEach(normalization.putArray("mean")::add);
    m.getNormalization().std().forEach(normalization.putArray("std")::add);
    m.getLabels().forEach(root.putArray("labels")::add);
    root.put("createdTime", m.getCreatedTime().toString());
    m.getMetrics().forEach(root.putObject("metrics")::put);
    root.put("parentVersion", m.getParentVersion().orElse(null));
    m.getTrainingData().ifPresent(data -> root.put("trainingData", data));
    root.put("parametersFile", m.getParametersFile().orElse(null));
    m.getFiles().forEach(root.putObject("files")::put);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize a JSON tree", e);
    }
  }

  static ModelManifest read(byte[] json) throws ModelArtifactException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ModelArtifactException(
          "manifest.json is not valid JSON (" + e.getMessage() + "); re-publish it", e);
    }
    try {
      return fromTree(root);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ModelArtifactException(
          "manifest.json is invalid: " + e.getMessage() + "; fix or re-publish the artifact", e);
    }
  }

  private static ModelManifest fromTree(JsonNode root) {
    JsonNode manifestVersion = field(root, "manifestVersion");
    if (!manifestVersion.isInt()
        || manifestVersion.intValue() < 1
        || manifestVersion.intValue() > MANIFEST_VERSION) {
      throw new IllegalArgumentException(
          "manifestVersion must be 1.."
              + MANIFEST_VERSION
              + " for this build, got "
              + manifestVersion
              + " (a newer Glimpse wrote it? upgrade this one)");
    }
    JsonNode shape = object(root, "inputShape");
    JsonNode normalization = object(root, "normalization");
    return ModelManifest.builder()
        .setName(text(root, "name"))
        .setVersion(text(root, "version"))
        .setFormat(ModelFormat.fromJsonName(text(root, "format")))
        .optArchitecture(text(root, "architecture"))
        .optWidthMultiplier(number(root, "widthMultiplier").floatValue())
        .setInputShape(
            new InputShape(
                integer(shape, "channels"), integer(shape, "height"), integer(shape, "width")))
        .setNormalization(
            new Normalization(floats(normalization, "mean"), floats(normalization, "std")))
        .setLabels(texts(root, "labels"))
        .optCreatedTime(Instant.parse(text(root, "createdTime")))
        .optMetrics(metrics(object(root, "metrics")))
        .optParentVersion(optionalText(root, "parentVersion"))
        .optTrainingData(optionalText(root, "trainingData"))
        .optParametersFile(optionalText(root, "parametersFile"))
        .optFiles(files(object(root, "files")))
        .build();
  }

  private static JsonNode field(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("field \"" + name + "\" is missing");
    }
    return node;
  }

  private static JsonNode typed(JsonNode parent, String name, boolean ok, String type) {
    if (!ok) {
      throw new IllegalArgumentException(
          "field \"" + name + "\" must be " + type + ", got " + parent.get(name));
    }
    return parent.get(name);
  }

  private static JsonNode object(JsonNode parent, String name) {
    return typed(parent, name, field(parent, name).isObject(), "an object");
  }

  private static JsonNode number(JsonNode parent, String name) {
    return typed(parent, name, field(parent, name).isNumber(), "a number");
  }

  private static int integer(JsonNode parent, String name) {
    return typed(parent, name, field(parent, name).isInt(), "an integer").intValue();
  }

  private static String text(JsonNode parent, String name) {
    return typed(parent, name, field(parent, name).isTextual(), "a string").textValue();
  }

  private static String optionalText(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    return node == null || node.isNull() ? null : text(parent, name);
  }

  private static ArrayNode array(JsonNode parent, String name) {
    return (ArrayNode) typed(parent, name, field(parent, name).isArray(), "an array");
  }

  private static List<Float> floats(JsonNode parent, String name) {
    List<Float> values = new ArrayList<>();
    for (JsonNode item : array(parent, name)) {
      if (!item.isNumber()) {
        throw new IllegalArgumentException("\"" + name + "\" must hold numbers, got " + item);
      }
      values.add(item.floatValue());
    }
    return values;
  }

  private static List<String> texts(JsonNode parent, String name) {
    List<String> values = new ArrayList<>();
    for (JsonNode item : array(parent, name)) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("\"" + name + "\" must hold strings, got " + item);
      }
      values.add(item.textValue());
    }
    return values;
  }

  private static Map<String, Double> metrics(JsonNode node) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    node.properties().forEach(e -> metrics.put(e.getKey(), number(node, e.getKey()).doubleValue()));
    return metrics;
  }

  private static Map<String, String> files(JsonNode node) {
    Map<String, String> files = new LinkedHashMap<>();
    node.properties().forEach(e -> files.put(e.getKey(), text(node, e.getKey())));
    return files;
  }
}
