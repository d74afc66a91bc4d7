package io.glimpse.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits a data set into training and validation parts class by class, so each class keeps its
 * share in both. The same seed always gives the same split.
 */
public final class StratifiedSplit {

  private StratifiedSplit() {}

  /**
   * Splits {@code source}; every class with at least two images keeps one in each part.
   *
   * @param source the images to split
   * @param validationFraction the share of each class that goes to validation, in (0, 1)
   * @param seed the shuffle seed
   * @return {@code [train, validation]}
   */
  public static InMemoryImageDataset[] split(
      ImageDataset source, double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "the validation fraction must be between 0 and 1, got " + validationFraction);
    }
    List<List<Integer>> byClass = indicesByClass(source);
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (List<Integer> indices : byClass) {
      Collections.shuffle(indices, random);
      int n = indices.size();
      int held = (int) Math.round(n * validationFraction);
      held = n >= 2 ? Math.min(Math.max(held, 1), n - 1) : 0;
      validation.addAll(indices.subList(0, held));
      train.addAll(indices.subList(held, n));
    }
    Collections.sort(train);
    Collections.sort(validation);
    return new InMemoryImageDataset[] {
      InMemoryImageDataset.subset(source, toArray(train)),
      InMemoryImageDataset.subset(source, toArray(validation))
    };
  }

  private static List<List<Integer>> indicesByClass(ImageDataset source) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < source.classes().size(); c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < source.size(); i++) {
      byClass.get(source.label(i)).add(i);
    }
    return byClass;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
