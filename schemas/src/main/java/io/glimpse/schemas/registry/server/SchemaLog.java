package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import io.glimpse.schemas.registry.server.StoreRecords.SchemaEntry;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's side of its {@link SchemaStore}: reads what was appended since its last read (by this
 * registry or another) into the {@link RegistryState}, and writes a change only on top of the log
 * it has just read, so an id is assigned from the whole log. When another registry wrote first the
 * store refuses the append; the change is then planned again on the newer log, a few times with a
 * growing random pause. An append that failed otherwise may still be stored: its ids are burned.
 *
 * <p>Catching up and writing take turns on one lock; the state is changed under the write half of
 * the service's lock, so readers never wait for the store.
 */
final class SchemaLog {
  /** Attempts of one write before a conflicting log is reported as a store error. */
  static final int MAX_ATTEMPTS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
  private static final long FIRST_PAUSE_MS = 5;
  private static final long MAX_PAUSE_MS = 500;

  /**
   * What a write wants stored and what to answer once it is.
   *
   * @param result the answer
   * @param records the records to append, none when nothing changes
   * @param done what to log once stored (an SLF4J pattern), or null
   * @param doneArgs the pattern's arguments
   */
  record Change<T>(T result, List<StoreRecord> records, String done, List<Object> doneArgs) {
    /** Nothing to store: answer at once. */
    static <T> Change<T> none(T result) {
      return new Change<>(result, List.of(), null, List.of());
    }

    /** Store the records, then log {@code done} and answer. */
    static <T> Change<T> of(T result, List<StoreRecord> records, String done, Object... doneArgs) {
      return new Change<>(result, List.copyOf(records), done, List.of(doneArgs));
    }
  }

  private final SchemaStore store;
  private final RegistryState state;
  private final ReadWriteLock stateLock;
  private final Lock logLock = new ReentrantLock();
  private long position;

  SchemaLog(SchemaStore store, RegistryState state, ReadWriteLock stateLock) {
    this.store = store;
    this.state = state;
    this.stateLock = stateLock;
  }

  /**
   * Reads the records appended since the last read and applies them.
   *
   * @return how many records were read
   * @throws SchemaRegistryException when the store cannot be read or holds a corrupt record
   */
  int catchUp() {
    logLock.lock();
    try {
      return catchUpLocked();
    } finally {
      logLock.unlock();
    }
  }

  /**
   * Catches up, plans the change on the state read, appends it and applies it; plans again when
   * another registry wrote in between.
   *
   * @param plan reads the state (without locking: only this lock's holder changes it) and returns
   *     the change; may throw to refuse the request
   * @throws SchemaRegistryException STORE_ERROR when the log kept changing for {@link
   *     #MAX_ATTEMPTS} attempts, or what the store threw
   */
  <T> T write(Supplier<Change<T>> plan) {
    logLock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        catchUpLocked();
        Change<T> change = plan.get();
        if (change.records().isEmpty()) {
          return change.result();
        }
        if (tryAppend(change, attempt)) {
          apply(change.records());
          if (change.done() != null) {
            LOG.info(change.done(), change.doneArgs().toArray());
          }
          return change.result();
        }
      }
    } finally {
      logLock.unlock();
    }
  }

  private int catchUpLocked() {
    StoreRead read = store.read(position);
    apply(read.records());
    position = read.end();
    return read.records().size();
  }

  private boolean tryAppend(Change<?> change, int attempt) {
    try {
      store.append(position, change.records());
      return true;
    } catch (StoreConflictException e) {
      if (attempt >= MAX_ATTEMPTS) {
        throw new SchemaRegistryException(
            RegistryErrorCode.STORE_ERROR.httpStatus(),
            RegistryErrorCode.STORE_ERROR.code(),
            "The schema log changed under every one of "
                + MAX_ATTEMPTS
                + " attempts to write to it ("
                + e.registryMessage()
                + "). Other registries are writing to the same log; retry the request",
            e);
      }
      LOG.debug("Schema log changed before attempt {} could write; reading again", attempt, e);
      pause(attempt);
      return false;
    } catch (RuntimeException e) {
      burnIds(change.records());
      throw e;
    }
  }

  private void burnIds(List<StoreRecord> records) {
    stateLock.writeLock().lock();
    try {
      for (StoreRecord record : records) {
        if (StoreRecords.decode(record) instanceof SchemaEntry entry) {
          state.burn(entry.id());
          LOG.warn(
              "Schema id {} is burned: its write failed but may still land, so no other schema gets"
                  + " it",
              entry.id());
        }
      }
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  private void apply(List<StoreRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    stateLock.writeLock().lock();
    try {
      records.forEach(state::apply);
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  /** A random pause that doubles with each attempt, so two registries stop colliding. */
  private static void pause(int attempt) {
    long bound = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(attempt, 16));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SchemaRegistryException.of(
          RegistryErrorCode.STORE_ERROR, "Interrupted while retrying a write to the schema log");
    }
  }
}
