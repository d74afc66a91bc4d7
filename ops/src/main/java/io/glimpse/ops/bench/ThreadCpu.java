package io.glimpse.ops.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of every thread of this process (Java and native, libtorch's workers included), read
 * from {@code /proc/self/task}. Threads are grouped by name with numbers dropped, so a phase's
 * profile says how much CPU went to the stream thread, the broker's handlers, the clients' network
 * threads and so on. Native threads carry the name of the thread that created them. Empty where
 * {@code /proc} does not exist.
 */
final class ThreadCpu {
  /** USER_HZ: the kernel reports task times in 1/100 s on every Linux architecture Java runs on. */
  private static final double SECONDS_PER_TICK = 0.01;

  private ThreadCpu() {}

  /** CPU seconds this process has used, ended threads included; NaN where /proc is missing. */
  static double processSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * SECONDS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds per thread id (with its name), now. */
  static Map<String, Double> snapshot() {
    Map<String, Double> seconds = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        read(task, seconds);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return seconds;
  }

  private static void read(Path task, Map<String, Double> seconds) {
    try {
      String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
      // The name is in parentheses and may contain spaces; the fields after it are fixed.
      int close = stat.lastIndexOf(')');
      String name = stat.substring(stat.indexOf('(') + 1, close);
      String[] fields = stat.substring(close + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
      seconds.put(task.getFileName() + "/" + name, ticks * SECONDS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      // the thread ended while we read it
    }
  }

  /**
   * The share of the process's CPU each thread group used between two snapshots, largest first,
   * groups under 1 % folded into {@code other}; {@code total_cores} is the CPU seconds per second.
   * A thread whose name starts with a key of {@code labels} is counted under that key's value.
   */
  static Map<String, Object> between(
      Map<String, Double> start,
      Map<String, Double> end,
      long wallNanos,
      Map<String, String> labels) {
    Map<String, Double> groups = new HashMap<>();
    double total = 0;
    for (Map.Entry<String, Double> e : end.entrySet()) {
      double used = e.getValue() - start.getOrDefault(e.getKey(), 0.0);
      if (used > 0) {
        groups.merge(group(e.getKey(), labels), used, Double::sum);
        total += used;
      }
    }
    Map<String, Object> shares = new LinkedHashMap<>();
    shares.put("total_cores", total / (wallNanos / 1e9));
    double other = 0;
    for (Map.Entry<String, Double> e :
        groups.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .toList()) {
      double share = e.getValue() / total;
      if (share >= 0.01) {
        shares.put(e.getKey(), share);
      } else {
        other += share;
      }
    }
    if (other > 0) {
      shares.put("other", other);
    }
    return shares;
  }

  /** {@code 1234/data-plane-kafk} → {@code data-plane-kafk}; digits and trailing dashes go. */
  static String group(String threadKey, Map<String, String> labels) {
    String name = threadKey.substring(threadKey.indexOf('/') + 1);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (name.startsWith(label.getKey())) {
        return label.getValue();
      }
    }
    String grouped = name.replaceAll("[0-9]+", "").replaceAll("[-_ .#:|]+$", "");
    return grouped.isEmpty() ? name : grouped;
  }
}
