package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.SchemaRegistryException;
import io.glimpse.schemas.registry.server.StoreRecords.ConfigEntry;
import io.glimpse.schemas.registry.server.StoreRecords.SchemaEntry;
import io.glimpse.schemas.registry.server.StoreRecords.SchemaTombstone;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state as the log describes it. Changed only by {@link #apply}, both when a log is
 * replayed and after a live write, so that replay and live operation cannot drift apart. Not
 * thread-safe: {@link SchemaRegistryService} guards it.
 */
final class RegistryState {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

  /** One version of a subject. */
  record Version(String subject, int version, int id, boolean deleted) {}

  private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<Integer, SchemaTexts.Parsed> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int maxId;

  /** Applies one record of the log; records this registry does not use are skipped. */
  void apply(StoreRecord record) {
    StoreRecords.Entry entry = StoreRecords.decode(record);
    if (entry instanceof SchemaEntry schema) {
      applySchema(schema);
    } else if (entry instanceof SchemaTombstone tombstone) {
      NavigableMap<Integer, Version> versions = subjects.get(tombstone.subject());
      if (versions != null) {
        versions.remove(tombstone.version());
      }
    } else if (entry instanceof ConfigEntry config) {
      applyConfig(config);
    } else {
      LOG.debug("Skipping schema log record with key {}", record.key());
    }
  }

  private void applySchema(SchemaEntry entry) {
    maxId = Math.max(maxId, entry.id()); // ids are never reused, even for skipped records
    if (!"AVRO".equalsIgnoreCase(entry.schemaType())) {
      LOG.warn(
          "Skipping {} schema id {} of subject '{}': only AVRO is supported",
          entry.schemaType(),
          entry.id(),
          entry.subject());
      return;
    }
    if (!schemasById.containsKey(entry.id())) {
      try {
        SchemaTexts.Parsed parsed = SchemaTexts.parse(entry.schema());
        schemasById.put(entry.id(), parsed);
        idsByCanonical.putIfAbsent(parsed.canonical(), entry.id());
      } catch (SchemaRegistryException e) {
        LOG.warn(
            "Skipping schema id {} of subject '{}': {}",
            entry.id(),
            entry.subject(),
            e.getMessage());
        return;
      }
    }
    Version version = new Version(entry.subject(), entry.version(), entry.id(), entry.deleted());
    subjects.computeIfAbsent(entry.subject(), s -> new TreeMap<>()).put(entry.version(), version);
  }

  private void applyConfig(ConfigEntry config) {
    if (config.subject() == null) {
      globalLevel = config.level() == null ? CompatibilityLevel.BACKWARD : config.level();
    } else if (config.level() == null) {
      subjectLevels.remove(config.subject());
    } else {
      subjectLevels.put(config.subject(), config.level());
    }
  }

  /** The subject's versions that are not deleted, oldest first; empty when there are none. */
  List<Version> live(String subject) {
    NavigableMap<Integer, Version> versions = subjects.getOrDefault(subject, new TreeMap<>());
    return versions.values().stream().filter(v -> !v.deleted()).toList();
  }

  /** Subjects with at least one version not deleted, sorted. */
  List<String> liveSubjects() {
    return subjects.keySet().stream().filter(s -> !live(s).isEmpty()).toList();
  }

  /** The version number a new version of the subject gets: deleted versions are not reused. */
  int nextVersion(String subject) {
    NavigableMap<Integer, Version> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
  }

  /**
   * Marks an id as used although no record with it was read: an append carrying it failed but may
   * still be stored, so handing the id to another schema could bind it to two.
   */
  void burn(int id) {
    maxId = Math.max(maxId, id);
  }

  /** The id of a schema already known under any subject, or the next unused id. */
  int idFor(String canonical) {
    return idsByCanonical.getOrDefault(canonical, maxId + 1);
  }

  /** The parsed schema with this id, or null. */
  SchemaTexts.Parsed schema(int id) {
    return schemasById.get(id);
  }

  /** The subject's own level, or null when it has none. */
  CompatibilityLevel subjectLevel(String subject) {
    return subjectLevels.get(subject);
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  int maxId() {
    return maxId;
  }
}
