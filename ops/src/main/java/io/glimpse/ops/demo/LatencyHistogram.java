package io.glimpse.ops.demo;

/**
 * Counts latencies in a fixed set of buckets, so a run of any length takes the same memory: values
 * below 64 ms exactly, larger ones in 32 buckets per power of two (within about 3 %). A percentile
 * reads as the largest value of its bucket, so it never understates.
 */
final class LatencyHistogram {
  private static final int EXACT = 64;
  private static final int SUB_BUCKET_BITS = 5;
  private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  private static final int EXACT_BITS = Integer.numberOfTrailingZeros(EXACT);

  private final long[] counts = new long[index(Long.MAX_VALUE) + 1];
  private long total;

  /** Counts one value; a negative one (clock skew between hosts) counts as 0. */
  void record(long millis) {
    counts[index(Math.max(0, millis))]++;
    total++;
  }

  /** Values counted so far. */
  long count() {
    return total;
  }

  /**
   * The nearest-rank percentile: the smallest bucket holding at least {@code percent} % of the
   * values, as that bucket's largest value; 0 when nothing was counted.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return largestValue(i);
      }
    }
    return largestValue(counts.length - 1);
  }

  private static int index(long value) {
    if (value < EXACT) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int sub = (int) (value >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
    return EXACT + (exponent - EXACT_BITS) * SUB_BUCKETS + sub;
  }

  private static long largestValue(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / SUB_BUCKETS + EXACT_BITS;
    int sub = (index - EXACT) % SUB_BUCKETS;
    long width = 1L << (exponent - SUB_BUCKET_BITS);
    long lowest = (SUB_BUCKETS + (long) sub) * width;
    return lowest + width - 1;
  }
}
