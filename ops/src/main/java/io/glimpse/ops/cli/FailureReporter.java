package io.glimpse.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into exit code 1 and one line on stderr; the stack trace only with {@code
 * --verbose} or {@code GLIMPSE_LOG_LEVEL=DEBUG}/{@code TRACE}.
 */
final class FailureReporter implements IExecutionExceptionHandler {
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (verbose(parseResult)) {
      e.printStackTrace(err);
    } else {
      err.println("glimpse: " + oneLine(e));
    }
    err.flush();
    return FAILURE;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    String logLevel = System.getenv("GLIMPSE_LOG_LEVEL");
    return logLevel != null && logLevel.toUpperCase(Locale.ROOT).matches("DEBUG|TRACE|ALL");
  }
}
