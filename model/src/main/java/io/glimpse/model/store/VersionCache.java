package io.glimpse.model.store;

import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded local cache of verified versions, one directory per version. A version is downloaded
 * into a hidden temporary directory inside the cache, checked there, and renamed into place in one
 * step, so an entry is always complete; callers get a private copy of it. Least recently used
 * entries are removed when the cache grows over its bound, never one that is being copied. One
 * version is downloaded once at a time: fetches that ask for it meanwhile wait for that download
 * and copy from its entry. The directory is created, and temporary directories left by a crash are
 * removed, on first use: a store that is only written to (the trainer) leaves nothing on disk.
 *
 * <p>One instance per directory in a JVM ({@link #at}); give each process its own directory.
 */
final class VersionCache {

  private static final Logger logger = LoggerFactory.getLogger(VersionCache.class);
  private static final String TEMP_PREFIX = ".tmp-";
  private static final Map<Path, VersionCache> OPEN = new HashMap<>();

  /** Fills a new, empty directory with a verified version and returns the bytes written. */
  interface Filler {
    long fill(Path directory) throws ModelStoreException;
  }

  private static final class Entry {
    final long bytes;
    long lastUsed;
    int copying;

    Entry(long bytes, long lastUsed) {
      this.bytes = bytes;
      this.lastUsed = lastUsed;
    }
  }

  private final Path directory;
  private final long maxBytes;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, CompletableFuture<Void>> filling = new HashMap<>();
  private long downloads;
  private boolean opened;

  private VersionCache(Path directory, long maxBytes) {
    this.directory = directory;
    this.maxBytes = maxBytes;
  }

  /** Creates the directory, removes leftover downloads and reads the entries, once. */
  private synchronized void open() throws ModelStoreException {
    if (opened) {
      return;
    }
    try {
      Files.createDirectories(directory);
      try (Stream<Path> children = Files.list(directory)) {
        for (Path child : children.toList()) {
          String name = child.getFileName().toString();
          if (name.startsWith(TEMP_PREFIX)) {
            logger.info("Removing {}, a download left behind by an earlier run", child);
            FileTrees.deleteQuietly(child);
          } else if (Files.isDirectory(child) && StoreLayout.isId(name)) {
            entries.put(name, new Entry(bytesOf(child), lastModified(child)));
          }
        }
      }
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot open the model cache "
              + directory
              + " ("
              + e
              + "); set glimpse.model.cache.dir (GLIMPSE_MODEL_CACHE_DIR) to a writable directory",
          e);
    }
    opened = true;
    evict();
  }

  /** The cache in {@code directory}, one per JVM; the first caller's bound applies. */
  static VersionCache at(Path directory, long maxBytes) {
    Path key = directory.toAbsolutePath().normalize();
    synchronized (OPEN) {
      VersionCache cache = OPEN.get(key);
      if (cache == null) {
        cache = new VersionCache(key, maxBytes);
        OPEN.put(key, cache);
      }
      return cache;
    }
  }

  /**
   * Copies the entry {@code name} into {@code target}, filling it first when it is not cached.
   *
   * @param name the entry's name (letters, digits, '.', '_', '-')
   * @param version what the entry holds, for checking the copy
   * @param maxFileBytes the largest file to copy
   * @param filler downloads and verifies the version into an empty directory
   * @param target a directory that does not exist yet, as {@link ModelStore#fetch} takes it
   */
  Path copy(String name, StoredVersion version, long maxFileBytes, Filler filler, Path target)
      throws ModelStoreException {
    StoreLayout.requireId("cache entry", name);
    open();
    Entry pinned = pinOrFill(name, filler);
    boolean targetUsable =
        Files.isDirectory(target.toAbsolutePath().getParent())
            && Files.notExists(target, LinkOption.NOFOLLOW_LINKS);
    boolean copied = false;
    try {
      Path copy = new VersionCopy(version, maxFileBytes).copy(directory.resolve(name), target);
      copied = true;
      return copy;
    } finally {
      // an entry that cannot be copied out (changed on disk) is dropped: the next fetch downloads
      unpin(name, pinned, copied || !targetUsable);
    }
  }

  /** How many versions were downloaded since the cache opened. */
  synchronized long downloads() {
    return downloads;
  }

  /** The cache's directory. */
  Path directory() {
    return directory;
  }

  /**
   * Pins the entry, downloading it first when it is not cached. Only one caller downloads a given
   * entry; the others wait for it and then pin its entry, or download themselves when it failed.
   */
  private Entry pinOrFill(String name, Filler filler) throws ModelStoreException {
    while (true) {
      CompletableFuture<Void> running;
      CompletableFuture<Void> mine = null;
      synchronized (this) {
        Entry pinned = pin(name);
        if (pinned != null) {
          return pinned;
        }
        running = filling.get(name);
        if (running == null) {
          mine = new CompletableFuture<>();
          filling.put(name, mine);
        }
      }
      if (mine != null) {
        try {
          return fill(name, filler);
        } finally {
          synchronized (this) {
            filling.remove(name);
          }
          mine.complete(null);
        }
      }
      running.join();
    }
  }

  /** Pins an existing entry and marks it used; null when there is none. */
  private synchronized Entry pin(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      return null;
    }
    entry.copying++;
    touch(name, entry);
    return entry;
  }

  /** Unpins an entry, removing it from the cache when it is no longer {@code good}. */
  private synchronized void unpin(String name, Entry pinned, boolean good) {
    pinned.copying--;
    if (!good && entries.get(name) == pinned && remove(name)) {
      logger.warn("Removed {} from the model cache {}: it could not be copied", name, directory);
    }
    evict();
  }

  /**
   * Renames an entry to a temporary name and deletes it, so that a crash midway leaves a leftover
   * that {@link #open} removes, never a half-deleted entry; false when it cannot be renamed.
   */
  private synchronized boolean remove(String name) {
    Path doomed = directory.resolve(TEMP_PREFIX + "removed-" + name + "-" + UUID.randomUUID());
    try {
      Files.move(directory.resolve(name), doomed, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      logger.warn("Cannot remove {} from the model cache {}: {}", name, directory, e.toString());
      return false;
    }
    entries.remove(name);
    FileTrees.deleteQuietly(doomed);
    return true;
  }

  /** Downloads into a temporary directory and renames it into place; returns it pinned. */
  private Entry fill(String name, Filler filler) throws ModelStoreException {
    Path temp;
    try {
      temp = Files.createTempDirectory(directory, TEMP_PREFIX);
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot create a download directory in the model cache " + directory + ": " + e, e);
    }
    try {
      long bytes = filler.fill(temp);
      Path entry = directory.resolve(name);
      synchronized (this) {
        downloads++;
        try {
          Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
          entries.put(name, new Entry(bytes, 0));
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the cache cannot rename within " + directory, e);
        } catch (FileSystemException e) {
          // the entry is there already (Linux reports ENOTEMPTY as a plain FileSystemException):
          // entries are only ever renamed into place complete, so it is as good as ours
          if (!Files.isDirectory(entry)) {
            throw e;
          }
          entries.putIfAbsent(name, new Entry(bytesOf(entry), 0));
        }
        Entry added = entries.get(name);
        added.copying++;
        touch(name, added);
        return added;
      }
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot add " + name + " to the model cache " + directory + ": " + e, e);
    } finally {
      FileTrees.deleteQuietly(temp);
    }
  }

  private void touch(String name, Entry entry) {
    entry.lastUsed = Math.max(System.currentTimeMillis(), entry.lastUsed + 1);
    try {
      // kept on disk too, so that the order survives a restart
      Files.setLastModifiedTime(directory.resolve(name), FileTime.fromMillis(entry.lastUsed));
    } catch (IOException e) {
      logger.debug("Cannot mark {} as used: {}", name, e.toString());
    }
  }

  /** Removes least recently used entries not being copied until the cache fits its bound. */
  private synchronized void evict() {
    long total = entries.values().stream().mapToLong(e -> e.bytes).sum();
    if (total <= maxBytes) {
      return;
    }
    List<Map.Entry<String, Entry>> byAge = new ArrayList<>(entries.entrySet());
    byAge.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
    for (Map.Entry<String, Entry> oldest : byAge) {
      if (total <= maxBytes) {
        break;
      }
      if (oldest.getValue().copying > 0) {
        continue;
      }
      if (remove(oldest.getKey())) {
        total -= oldest.getValue().bytes;
        logger.info(
            "Removed {} from the model cache {} (over its {}-byte bound)",
            oldest.getKey(),
            directory,
            maxBytes);
      }
    }
  }

  private static long bytesOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path file : files.toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static long lastModified(Path dir) throws IOException {
    return Files.getLastModifiedTime(dir).toMillis();
  }
}
