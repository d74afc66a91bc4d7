/**
 * What a person watching a training run in a terminal sees: a progress bar with images per second
 * and the epoch's ETA, and a summary table at the end. Both write to a {@link java.io.PrintWriter}
 * the command line hands them; nothing here touches {@code System.out}.
 */
package io.glimpse.trainer.console;
