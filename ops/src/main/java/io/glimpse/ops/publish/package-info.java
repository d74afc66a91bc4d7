/**
 * Publishing images as {@code ImageEvent}s, shared by {@code glimpse publish} and the demo: events
 * built from files and data sets ({@link io.glimpse.ops.publish.ImageEvents}), files found from
 * paths, directories and globs and checked before they are sent ({@link
 * io.glimpse.ops.publish.ImageFiles}, {@link io.glimpse.ops.publish.ImageFileReader}), the data
 * sets by name ({@link io.glimpse.ops.publish.PublishDatasets}), and a paced producer ({@link
 * io.glimpse.ops.publish.EventPublisher}). Nothing here prints: problems are exceptions and
 * results.
 */
package io.glimpse.ops.publish;
