package io.glimpse.lifecycle;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Words for a failed Kafka or registry call: the messages of the exception and its causes. */
final class Failures {

  private static final int MAX_DEPTH = 5;

  private Failures() {}

  /**
   * Joins the messages of {@code e} and its causes, e.g. {@code Could not fetch schema id 1: Schema
   * registry at http://127.0.0.1:1 is unreachable}, leaving out a cause whose message the text
   * already holds; an {@link ExecutionException} stands for its cause. A cause without a message is
   * named by its class only when nothing else was said.
   */
  static String describe(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        if (messages.isEmpty()) {
          messages.add(t.getClass().getSimpleName());
        }
      } else if (messages.stream().noneMatch(m -> m.contains(message.strip()))) {
        messages.add(message.strip());
      }
    }
    return String.join(": ", messages);
  }

  /** The text, then "; " and the advice unless the text gives advice already ("check ..."). */
  static String withAdvice(String text, String advice) {
    return text.contains("check ") ? text : text + "; " + advice;
  }
}
