package io.glimpse.ops.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns {@code glimpse publish}'s arguments into files: a file is taken as it is; a directory is
 * searched recursively for {@code .jpg}, {@code .jpeg} and {@code .png} files (and {@code .raw} when
 * raw pixels are accepted); an argument with {@code * ? [ {} is a glob the shell did not expand
 * (quoted: {@code 'photos/**.jpg'}), matched from its longest directory prefix. What matches
 * nothing is a problem to report, not an error that stops the rest.
 *
 * @param files the files found, in argument order, each directory's sorted
 * @param problems one message for each argument that yielded nothing
 */
public record ImageFiles(List<Path> files, List<String> problems) {
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");
  private static final String RAW_EXTENSION = "raw";

  /**
   * Expands the arguments.
   *
   * @param arguments files, directories and globs
   * @param withRaw whether {@code .raw} files in directories are images too
   * @return the files and the problems
   */
  public static ImageFiles expand(List<String> arguments, boolean withRaw) {
    List<Path> files = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String argument : arguments) {
      try {
        List<Path> found = expand(argument, withRaw);
        if (found.isEmpty()) {
          problems.add(argument + ": " + nothingFound(argument, withRaw));
        }
        files.addAll(found);
      } catch (IOException | UncheckedIOException e) {
        problems.add(argument + ": cannot be listed: " + e.getMessage());
      }
    }
    return new ImageFiles(List.copyOf(files), List.copyOf(problems));
  }

  private static List<Path> expand(String argument, boolean withRaw) throws IOException {
    Path path = Path.of(argument);
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (Files.isDirectory(path)) {
      return walk(path, file -> isImage(file, withRaw));
    }
    if (!isGlob(argument)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + argument);
    Path base = globBase(argument);
    return Files.isDirectory(base) ? walk(base, matcher::matches) : List.of();
  }

  private static String nothingFound(String argument, boolean withRaw) {
    Path path = Path.of(argument);
    if (Files.isDirectory(path)) {
      return "no "
          + (withRaw ? ".jpg, .jpeg, .png or .raw" : ".jpg, .jpeg or .png")
          + " files in this directory";
    }
    if (isGlob(argument)) {
      return "no file matches this pattern";
    }
    return Files.exists(path) ? "not a regular file or directory" : "no such file or directory";
  }

  private static List<Path> walk(Path root, PathMatcher accept) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .map(Path::normalize)
          .filter(p -> Files.isRegularFile(p) && accept.matches(p))
          .sorted()
          .toList();
    }
  }

  private static boolean isImage(Path file, boolean withRaw) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    return IMAGE_EXTENSIONS.contains(extension) || (withRaw && extension.equals(RAW_EXTENSION));
  }

  private static boolean isGlob(String argument) {
    return argument.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }

  /** The directories before the first element with a glob character; "." when there are none. */
  private static Path globBase(String glob) {
    String[] elements = glob.split("/", -1);
    StringBuilder base = new StringBuilder();
    for (int i = 0; i < elements.length - 1 && !isGlob(elements[i]); i++) {
      base.append(elements[i]).append('/');
    }
    return base.isEmpty() ? Path.of(".") : Path.of(base.toString());
  }
}
