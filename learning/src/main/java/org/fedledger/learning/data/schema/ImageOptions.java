package org.fedledger.learning.data.schema;

/**
 * How images are fitted to the schema's {@code [channels, height, width]}.
 *
 * @param resize true: an image of another size is resized (bilinear) to the schema's; false: it is
 *     refused, naming the file. Channels are always converted (1 = grayscale, 3 = RGB).
 */
public record ImageOptions(boolean resize) {}
