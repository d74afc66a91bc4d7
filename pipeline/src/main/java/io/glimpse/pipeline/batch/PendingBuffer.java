package io.glimpse.pipeline.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's batch buffer: the changelogged store of images waiting to be classified, how many wait
 * and since when, and the rule for deleting an entry once its image is classified.
 *
 * <p>Under exactly_once_v2 an entry is deleted as soon as its outcome is forwarded: the tombstone,
 * the outcome and the consumed offsets commit in one transaction. Under at_least_once they are
 * independent sends, and a tombstone that lands without its prediction would lose the image. There
 * an entry is only marked classified (later batches skip it) and deleted once a commit of the task
 * has completed after its outcome was forwarded ({@link TaskCommits}): that commit flushed the
 * producer, so the outcome is durable. A crash before then restores the entry and the image is
 * classified again, a repeated prediction and never a lost one.
 */
final class PendingBuffer {
  private final LongSupplier completedCommits;
  private final boolean deleteAfterCommit;

  /** Classified entries not deleted yet, in forwarding order, with the commit count at the time. */
  private final Map<Bytes, Long> classified = new LinkedHashMap<>();

  private KeyValueStore<Bytes, byte[]> store;
  private int waiting;
  private long oldestArrival = Long.MAX_VALUE;

  /**
   * @param deleteAfterCommit true under at_least_once: delete classified entries only after a
   *     commit that covers their outcomes
   */
  PendingBuffer(TaskId task, TaskCommits commits, boolean deleteAfterCommit) {
    this.completedCommits = commits.completed(task);
    this.deleteAfterCommit = deleteAfterCommit;
  }

  /**
   * Takes the task's store, at every (re)initialisation of the processor: classified entries whose
   * commit completed are deleted, the others are forgotten so they are classified again (their
   * outcomes may never have been written), and the waiting images are counted from the store.
   */
  void attach(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
    deleteCommitted();
    classified.clear();
    recount();
  }

  /** Counts the waiting images (everything in the store that is not classified) and the oldest. */
  void recount() {
    waiting = 0;
    oldestArrival = Long.MAX_VALUE;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        if (!classified.containsKey(entry.key)) {
          waiting++;
          oldestArrival =
              Math.min(oldestArrival, PendingRecordCodec.decode(entry.value).arrivalMillis());
        }
      }
    }
  }

  /** Writes a record to the store; a replayed record overwrites its own entry. */
  void add(PendingRecord record) {
    Bytes key = record.pendingKey().toBytes();
    byte[] entry = PendingRecordCodec.encode(record);
    if (store.get(key) == null) {
      waiting++;
    }
    store.put(key, entry);
    oldestArrival = Math.min(oldestArrival, record.arrivalMillis());
  }

  /** The images waiting to be classified, in store order (partition, then offset). */
  List<KeyValue<Bytes, PendingRecord>> waitingEntries() {
    List<KeyValue<Bytes, PendingRecord>> entries = new ArrayList<>(waiting);
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      all.forEachRemaining(
          kv -> {
            if (!classified.containsKey(kv.key)) {
              entries.add(KeyValue.pair(kv.key, PendingRecordCodec.decode(kv.value)));
            }
          });
    }
    return entries;
  }

  /** Records that the outcomes of these entries were forwarded. */
  void classified(List<KeyValue<Bytes, PendingRecord>> entries) {
    if (!deleteAfterCommit) {
      entries.forEach(kv -> store.delete(kv.key));
      return;
    }
    Long commitCount = completedCommits.getAsLong();
    entries.forEach(kv -> classified.put(kv.key, commitCount));
  }

  /** After everything waiting was classified. */
  void emptied() {
    waiting = 0;
    oldestArrival = Long.MAX_VALUE;
  }

  /** Deletes the classified entries that a completed commit has made safe to delete. */
  void deleteCommitted() {
    if (classified.isEmpty()) {
      return;
    }
    long completed = completedCommits.getAsLong();
    Iterator<Map.Entry<Bytes, Long>> entries = classified.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<Bytes, Long> entry = entries.next();
      if (entry.getValue() >= completed) {
        return; // forwarded since the last completed commit, as is everything after it
      }
      store.delete(entry.getKey());
      entries.remove();
    }
  }

  /** Images waiting to be classified. */
  int waiting() {
    return waiting;
  }

  /** Classified images whose entries wait for a commit before they are deleted. */
  int awaitingCommit() {
    return classified.size();
  }

  /** Arrival time of the oldest waiting image, or {@code Long.MAX_VALUE} when none waits. */
  long oldestArrival() {
    return oldestArrival;
  }
}
