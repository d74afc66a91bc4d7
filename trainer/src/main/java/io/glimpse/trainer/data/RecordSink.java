package io.glimpse.trainer.data;

/** Takes the records of a pinned range, one at a time, in the order they were read. */
interface RecordSink {

  /**
   * Takes one record.
   *
   * @throws DatasetException when the record cannot be taken for a reason that must stop the run
   */
  void accept(int partition, long offset, byte[] key, byte[] value) throws DatasetException;
}
