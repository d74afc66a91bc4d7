package io.glimpse.model.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesATreeAndLeavesWhatALinkInsideItPointsTo() throws IOException {
    Path outside = Files.writeString(tmp.resolve("keep.txt"), "keep");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file.bin"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
    Files.createSymbolicLink(tmp.resolve("tree/dirlink"), tmp);

    FileTrees.delete(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside).hasContent("keep");
  }

  @Test
  void aMissingTreeIsFine() throws IOException {
    FileTrees.delete(tmp.resolve("never"));
    assertThat(FileTrees.deleteQuietly(tmp.resolve("never"))).isTrue();
    assertThat(FileTrees.deleteQuietly(null)).isTrue();
  }
}
