package io.glimpse.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.SyntheticShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
  @TempDir Path tmp;

  @Test
  void withoutFashionMnistTheDemoGeneratesImagesTheModelTakes() throws Exception {
    DemoData data = DemoData.find(tmp.resolve("no-fashion-mnist"));

    assertThat(data.generated()).isTrue();
    assertThat(data.name()).isEqualTo("synthetic");
    ImageDataset test = data.source().load().testSet().orElseThrow();
    assertThat(test.classes()).isEqualTo(SyntheticShapes.CLASSES);
    assertThat(test.channels()).isEqualTo(1);
    assertThat(test.height()).isEqualTo(32);
    assertThat(test.width()).isEqualTo(32);
  }

  @Test
  void anEmptyDirectoryIsNoFashionMnist() {
    assertThat(DemoData.find(tmp).generated()).isTrue();
  }

  @Test
  void eachDataSetHasItsOwnQuickModel() throws Exception {
    Path fashionDir = Files.createDirectory(tmp.resolve("fashion"));
    for (String split : List.of("train", "t10k")) {
      Files.createFile(fashionDir.resolve(split + "-images-idx3-ubyte.gz"));
      Files.createFile(fashionDir.resolve(split + "-labels-idx1-ubyte.gz"));
    }
    DemoData fashion = DemoData.find(fashionDir);
    DemoData synthetic = DemoData.find(tmp.resolve("none"));
    Path dataDir = tmp.resolve("data");

    assertThat(fashion.generated()).isFalse();
    assertThat(DemoModel.quickModelRun(dataDir, fashion))
        .isEqualTo(dataDir.resolve("models/demo-quick-fashion-mnist"));
    assertThat(DemoModel.quickModelRun(dataDir, synthetic))
        .isEqualTo(dataDir.resolve("models/demo-quick-synthetic"));
    assertThat(DemoModel.exists(dataDir, synthetic)).isFalse();
  }
}
