/**
 * What {@code glimpse demo} runs on the embedded stack: its data ({@link
 * io.glimpse.ops.demo.DemoData}: Fashion-MNIST, or generated shapes where it is not installed), the
 * model it serves ({@link io.glimpse.ops.demo.DemoModel}), the images it publishes ({@link
 * io.glimpse.ops.demo.DemoTraffic}) and what it reads back: a line every interval ({@link
 * io.glimpse.ops.demo.DemoReport}) and a summary of the run ({@link
 * io.glimpse.ops.demo.DemoSummary}). The command in {@code io.glimpse.ops.cli} prints them.
 */
package io.glimpse.ops.demo;
