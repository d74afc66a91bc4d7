package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.ImageFolder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning starts from a parent's weights (an artifact, or a version in the model store) and
 * records it as the parent.
 */
class FineTuneTest {

  @TempDir Path dir;

  @Test
  void fineTunesANewClassifierOnTopOfAParentModel() throws Exception {
    TrainingResult parent = trainParent();
    Path folder = writeTwoClassFolder(dir.resolve("images"));

    TrainingConfig config =
        SmokeRuns.synthetic(dir.resolve("child"), 2, 2)
            .setDataSource(
                ImageFolder.source(
                    DatasetOptions.defaults().withDirectory(folder).withValidationFraction(0.25),
                    SmokeRuns.GRAY_32))
            .setVersion("2")
            .optBatchSize(8)
            .optWidthMultiplier(1f) // ignored: a fine-tuned model keeps its parent's width
            .optFineTuneFrom(parent.artifactDirectory())
            .build();
    TrainingResult child = new TrainingJob(config, ProgressListener.NONE).run();

    ModelManifest manifest = child.manifest();
    assertThat(manifest.getParentVersion()).contains("1");
    assertThat(manifest.getLabels()).containsExactly("dark", "light");
    assertThat(manifest.getWidthMultiplier()).isEqualTo(0.25f);
    assertThat(manifest.getNormalization()).isEqualTo(parent.manifest().getNormalization());
    assertThat(child.testReport()).isEmpty();
  }

  @Test
  void fineTunesAVersionRegisteredInTheStore() throws Exception {
    TrainingResult parent = trainParent();
    FileModelStore store = new FileModelStore(dir.resolve("models"));
    store.put(parent.artifactDirectory(), "shapes", "1");

    TrainingResult child =
        new TrainingJob(
                SmokeRuns.synthetic(dir.resolve("child"), 1, 2)
                    .setVersion("2")
                    .optFineTuneFrom(new ParentVersion(store, "shapes", "1"))
                    .build(),
                ProgressListener.NONE)
            .run();
    TrainingConfig missing =
        SmokeRuns.synthetic(dir.resolve("orphan"), 1, 2)
            .setVersion("3")
            .optFineTuneFrom(new ParentVersion(store, "shapes", "7"))
            .build();

    assertThat(child.manifest().getParentVersion()).contains("1");
    assertThat(child.manifest().getNormalization()).isEqualTo(parent.manifest().getNormalization());
    assertThatThrownBy(() -> new TrainingJob(missing, ProgressListener.NONE).run())
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("shapes v7 is not in the store")
        .hasMessageContaining("its versions there: [1]");
  }

  private TrainingResult trainParent() throws Exception {
    return new TrainingJob(
            SmokeRuns.synthetic(dir.resolve("parent"), 1, 2).build(), ProgressListener.NONE)
        .run();
  }

  private static Path writeTwoClassFolder(Path root) throws Exception {
    for (String label : new String[] {"dark", "light"}) {
      Path classDir = Files.createDirectories(root.resolve(label));
      for (int i = 0; i < 12; i++) {
        int level = label.equals("dark") ? 20 + i : 230 - i;
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(level, level, level));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        ImageIO.write(image, "png", classDir.resolve(i + ".png").toFile());
      }
    }
    return root;
  }
}
