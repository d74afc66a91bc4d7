/**
 * {@code glimpse models}: the model lifecycle from the command line — {@code list}, {@code show},
 * {@code register}, {@code promote}, {@code rollback}, {@code pin}, {@code unpin}, {@code status}.
 * One class per subcommand, each a thin shell over {@code io.glimpse.lifecycle} ({@code
 * ModelCatalog}, {@code Registration}, {@code ModelDeployer}); connection settings come from {@link
 * io.glimpse.ops.cli.models.ConnectionOptions}. Tables for people, {@code --json} for scripts.
 */
package io.glimpse.ops.cli.models;
