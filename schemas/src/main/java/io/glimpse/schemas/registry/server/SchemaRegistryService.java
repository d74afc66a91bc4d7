package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaMetadata;
import io.glimpse.schemas.registry.SchemaRegistryException;
import io.glimpse.schemas.registry.server.RegistryState.Version;
import io.glimpse.schemas.registry.server.SchemaLog.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The schema registry's rules, independent of HTTP: global schema ids, per-subject versions, soft
 * delete and compatibility checks, for AVRO schemas. Behaves as Confluent's registry does where a
 * client can tell: the same schema gets the same id under every subject; ids and version numbers
 * are never reused; a schema registered again after its subject was deleted keeps its id and gets
 * the next version number.
 *
 * <p>Every change is appended to the {@link SchemaStore} first and applied to memory only once the
 * store accepted it; the constructor replays the store. Several services (registries) may share a
 * store: before each write the service reads what the others appended, and the store refuses an
 * append that was planned on an older log, so ids and versions stay unique. A read that would
 * answer "not found" reads the log first; {@link #refresh()} does it on demand. Thread-safe: reads
 * run in parallel and never wait for the store, writes one at a time.
 *
 * <p>Errors are {@link SchemaRegistryException}s with Confluent's error codes.
 */
public final class SchemaRegistryService {
  /** Error code of GET /config/{subject} when the subject has no level of its own (HTTP 404). */
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

  /** The version id {@code -1}, which Confluent accepts as a synonym of {@code "latest"}. */
  private static final int LATEST = -1;

  private static final int NOT_FOUND = 404;

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryService.class);

  private final RegistryState state = new RegistryState();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final SchemaLog log;

  /**
   * Creates the service and replays every record of the store.
   *
   * @throws SchemaRegistryException STORE_ERROR when the store cannot be read or holds a record
   *     that is not in Confluent's {@code _schemas} format
   */
  public SchemaRegistryService(SchemaStore store) {
    this.log = new SchemaLog(Objects.requireNonNull(store, "store"), state, lock);
    int records = log.catchUp();
    LOG.atLevel(records == 0 ? Level.DEBUG : Level.INFO)
        .log(
            "Replayed {} schema log records: {} subjects, highest schema id {}",
            records,
            state.liveSubjects().size(),
            state.maxId());
  }

  /**
   * Reads what was appended to the store since the last read, by this registry or another one
   * sharing the store. Writes and "not found" answers do this themselves; call it to bound how
   * stale the other answers are ({@link SchemaRegistryServer} does so periodically).
   *
   * @throws SchemaRegistryException STORE_ERROR or OPERATION_TIMEOUT when the store cannot be read
   */
  public void refresh() {
    log.catchUp();
  }

  /**
   * Registers an Avro schema under a subject and returns its global id. Idempotent: a schema
   * already live under the subject returns its id; one known under another subject (or deleted)
   * reuses its id under a new version.
   *
   * @throws SchemaRegistryException 42201 for invalid Avro; 409 when the subject's compatibility
   *     level refuses it (the message lists the incompatibilities); 5000x when the store fails
   */
  public int register(String subject, String schemaText) {
    Objects.requireNonNull(subject, "subject");
    SchemaTexts.Parsed parsed = SchemaTexts.parse(schemaText);
    return log.write(
        () -> {
          List<Version> live = state.live(subject);
          for (Version version : live) {
            if (canonical(version).equals(parsed.canonical())) {
              return Change.none(version.id());
            }
          }
          CompatibilityLevel level = effectiveLevel(subject);
          List<String> problems =
              SchemaTexts.incompatibilities(level, parsed.schema(), newestFirst(live));
          if (!problems.isEmpty()) {
            throw incompatible(subject, level, problems);
          }
          int id = state.idFor(parsed.canonical());
          int version = state.nextVersion(subject);
          return Change.of(
              id,
              List.of(StoreRecords.schema(subject, version, id, parsed.canonical(), false)),
              "Registered schema id {} as version {} of subject '{}'",
              id,
              version,
              subject);
        });
  }

  /**
   * Finds a schema among the subject's live versions.
   *
   * @throws SchemaRegistryException 40401 when the subject has no live version, 40403 when the
   *     schema is not one of them, 42201 for invalid Avro
   */
  public SchemaMetadata lookup(String subject, String schemaText) {
    SchemaTexts.Parsed parsed = SchemaTexts.parse(schemaText);
    return read(
        () -> {
          for (Version version : liveOrThrow(subject)) {
            if (canonical(version).equals(parsed.canonical())) {
              return metadata(version);
            }
          }
          throw SchemaRegistryException.of(
              RegistryErrorCode.SCHEMA_NOT_FOUND,
              "Schema not found under subject '" + subject + "'; register it first");
        });
  }

  /**
   * Returns the canonical text of the schema with a global id.
   *
   * @throws SchemaRegistryException 40403 when no schema has the id
   */
  public String schemaById(int id) {
    return read(
        () -> {
          SchemaTexts.Parsed parsed = state.schema(id);
          if (parsed == null) {
            throw SchemaRegistryException.of(
                RegistryErrorCode.SCHEMA_NOT_FOUND, "Schema id " + id + " not found");
          }
          return parsed.canonical();
        });
  }

  /**
   * Returns the newest live version of a subject.
   *
   * @throws SchemaRegistryException 40401 when the subject has no live version
   */
  public SchemaMetadata latest(String subject) {
    return version(subject, LATEST);
  }

  /**
   * Returns a version of a subject by its REST id: {@code "latest"}, {@code "-1"} or a positive
   * number.
   *
   * @throws SchemaRegistryException 42202 for any other id, 40401 or 40402 when missing or deleted
   */
  public SchemaMetadata version(String subject, String versionId) {
    return version(subject, parseVersion(versionId));
  }

  /**
   * Returns a version of a subject; {@code -1} means the latest.
   *
   * @throws SchemaRegistryException 42202 for a version below 1 (other than -1), 40401 or 40402
   *     when the subject or the version is missing or deleted
   */
  public SchemaMetadata version(String subject, int version) {
    int checked = checkVersion(version, String.valueOf(version));
    return read(() -> metadata(find(subject, checked)));
  }

  /** Subjects with at least one live version, sorted. */
  public List<String> subjects() {
    return read(state::liveSubjects);
  }

  /**
   * Returns the subject's live version numbers, ascending.
   *
   * @throws SchemaRegistryException 40401 when there are none
   */
  public List<Integer> versions(String subject) {
    return read(() -> liveOrThrow(subject).stream().map(Version::version).toList());
  }

  /**
   * Soft-deletes every live version of a subject: the versions disappear from every read, their ids
   * stay valid for {@link #schemaById}, and their numbers are not reused.
   *
   * @return the deleted version numbers, ascending
   * @throws SchemaRegistryException 40401 when the subject has no live version
   */
  public List<Integer> deleteSubject(String subject) {
    return log.write(
        () -> {
          List<Integer> deleted = new ArrayList<>();
          List<StoreRecord> records = new ArrayList<>();
          for (Version v : liveOrThrow(subject)) {
            records.add(StoreRecords.schema(subject, v.version(), v.id(), canonical(v), true));
            deleted.add(v.version());
          }
          return Change.of(
              deleted, records, "Deleted versions {} of subject '{}'", deleted, subject);
        });
  }

  /**
   * Returns the global level (null subject) or the subject's own level.
   *
   * @throws SchemaRegistryException 40408 when the subject has no level of its own
   */
  public CompatibilityLevel getConfig(String subject) {
    return getConfig(subject, false);
  }

  /**
   * Returns the global level (null subject) or the subject's own level; with {@code
   * defaultToGlobal} a subject without its own level answers the global one, as Confluent's {@code
   * GET /config/{subject}?defaultToGlobal=true} does.
   *
   * @throws SchemaRegistryException 40408 when the subject has no level and defaultToGlobal is
   *     false
   */
  public CompatibilityLevel getConfig(String subject, boolean defaultToGlobal) {
    return read(
        () -> {
          CompatibilityLevel own =
              subject == null ? state.globalLevel() : state.subjectLevel(subject);
          if (own != null) {
            return own;
          }
          if (defaultToGlobal) {
            return state.globalLevel();
          }
          throw new SchemaRegistryException(
              RegistryErrorCode.SUBJECT_NOT_FOUND.httpStatus(),
              SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
              "Subject '"
                  + subject
                  + "' does not have subject-level compatibility configured; ask with"
                  + " defaultToGlobal=true for the level that applies");
        });
  }

  /** Sets the global level (null subject) or the subject's own level. */
  public void setConfig(String subject, CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    log.write(
        () ->
            Change.of(
                level,
                List.of(StoreRecords.config(subject, level)),
                "Compatibility of {} set to {}",
                subject == null ? "(global)" : subject,
                level));
  }

  /**
   * Whether a schema could be registered under the subject: against all live versions (under the
   * subject's level) for {@code "latest"}, otherwise against that one version.
   *
   * @throws SchemaRegistryException 40401 when the subject has no live version, 40402 for a missing
   *     version, 42202 for an invalid version id, 42201 for invalid Avro
   */
  public boolean testCompatibility(String subject, String versionId, String schemaText) {
    return compatibilityProblems(subject, versionId, schemaText).isEmpty();
  }

  /**
   * As {@link #testCompatibility}, but returns the incompatibilities found (empty when compatible),
   * as Confluent's {@code verbose=true} does.
   */
  public List<String> compatibilityProblems(String subject, String versionId, String schemaText) {
    int version = parseVersion(versionId);
    SchemaTexts.Parsed parsed = SchemaTexts.parse(schemaText);
    return read(
        () -> {
          List<Version> against =
              version == LATEST ? liveOrThrow(subject) : List.of(find(subject, version));
          return SchemaTexts.incompatibilities(
              effectiveLevel(subject), parsed.schema(), newestFirst(against));
        });
  }

  private Version find(String subject, int version) {
    List<Version> live = liveOrThrow(subject);
    if (version == LATEST) {
      return live.get(live.size() - 1);
    }
    return live.stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(
            () ->
                SchemaRegistryException.of(
                    RegistryErrorCode.VERSION_NOT_FOUND,
                    "Version " + version + " of subject '" + subject + "' not found"));
  }

  private List<Version> liveOrThrow(String subject) {
    List<Version> live = state.live(subject);
    if (live.isEmpty()) {
      throw SchemaRegistryException.of(
          RegistryErrorCode.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
    }
    return live;
  }

  private List<SchemaTexts.Previous> newestFirst(List<Version> versions) {
    List<SchemaTexts.Previous> previous = new ArrayList<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      Version v = versions.get(i);
      previous.add(new SchemaTexts.Previous(v.version(), state.schema(v.id()).schema()));
    }
    return previous;
  }

  private CompatibilityLevel effectiveLevel(String subject) {
    CompatibilityLevel own = state.subjectLevel(subject);
    return own != null ? own : state.globalLevel();
  }

  private String canonical(Version version) {
    return state.schema(version.id()).canonical();
  }

  private SchemaMetadata metadata(Version v) {
    return new SchemaMetadata(v.subject(), v.version(), v.id(), canonical(v));
  }

  private static int parseVersion(String versionId) {
    if ("latest".equals(versionId)) {
      return LATEST;
    }
    try {
      return checkVersion(Integer.parseInt(String.valueOf(versionId).trim()), versionId);
    } catch (NumberFormatException e) {
      return checkVersion(0, versionId);
    }
  }

  private static int checkVersion(int version, String asGiven) {
    if (version == LATEST || version >= 1) {
      return version;
    }
    throw SchemaRegistryException.of(
        RegistryErrorCode.INVALID_VERSION,
        "The specified version '"
            + asGiven
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }

  private static SchemaRegistryException incompatible(
      String subject, CompatibilityLevel level, List<String> problems) {
    return SchemaRegistryException.of(
        RegistryErrorCode.INCOMPATIBLE_SCHEMA,
        "Schema being registered is incompatible with an earlier schema for subject '"
            + subject
            + "' under compatibility level "
            + level
            + ", details: "
            + problems
            + ". Make the change compatible (for example give new fields a default) or change"
            + " the level with PUT /config/{subject}");
  }

  /**
   * Answers from memory; a "not found" answer stands only once the log was read again and had
   * nothing new, as another registry may have just written what was asked for.
   */
  private <T> T read(Supplier<T> action) {
    try {
      return readLocked(action);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() != NOT_FOUND || log.catchUp() == 0) {
        throw e;
      }
      return readLocked(action);
    }
  }

  private <T> T readLocked(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
