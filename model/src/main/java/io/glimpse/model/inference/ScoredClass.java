package io.glimpse.model.inference;

/**
 * One class and its probability, as {@link TopK} returns them.
 *
 * @param classIndex the output index; the label is {@code manifest.getLabels().get(classIndex)}
 * @param probability its softmax probability
 */
public record ScoredClass(int classIndex, float probability) {}
