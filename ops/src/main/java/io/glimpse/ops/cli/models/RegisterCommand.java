package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.Registration;
import io.glimpse.lifecycle.Registration.Registered;
import io.glimpse.lifecycle.ScratchDirectory;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse models register <artifact>}: verifies an artifact by loading it, stores it as an
 * immutable version and announces it on {@code model-versions}; see {@link Registration}.
 */
@Command(
    name = "register",
    sortOptions = false,
    description = {
      "Register a model version: load it to verify it (nothing that libtorch cannot load is"
          + " stored), copy it into the store as an immutable version, and announce it on"
          + " model-versions. It is not deployed: promote it next.",
      "<artifact> is a training run's artifact directory, a .zip of one, or a TorchScript .pt"
          + " file (with --name, --labels, --input-size, --mean and --std, for its manifest).",
      "Registering the same artifact again changes nothing (and finishes a registration that"
          + " stored but could not announce)."
    })
final class RegisterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  // Not mixinStandardHelpOptions: its --version would clash with the model version option.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  @Parameters(
      index = "0",
      paramLabel = "<artifact>",
      description = "Artifact directory, .zip, or TorchScript .pt file.")
  private Path artifact;

  @Option(
      names = "--name",
      paramLabel = "<model>",
      description = "Model name: required for a .pt; an artifact's must match its manifest.")
  private String name;

  @Option(
      names = "--version",
      paramLabel = "<v>",
      description =
          "Version to register as (default: an artifact's own, or the next integer in the store"
              + " for a .pt).")
  private String version;

  @Mixin private TorchScriptOptions torchScript;
  @Mixin private ConnectionOptions connection;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call()
      throws IOException, ModelArtifactException, ModelStoreException, PublishException {
    ModelStore store = connection.modelStore();
    Registration registration = new Registration(store, connection.kafka());
    Registered registered;
    try (ScratchDirectory scratch = ScratchDirectory.create("glimpse-register-")) {
      Path staged = stage(store, scratch.path());
      registered = registration.register(staged);
    } catch (ModelArtifactException e) {
      // The message may name a staged copy; say which input it came from.
      throw new ModelArtifactException("cannot register " + artifact + ": " + e.getMessage(), e);
    }
    Printer.print(spec, json, () -> document(registered), () -> text(registered));
    return 0;
  }

  private Path stage(ModelStore store, Path scratch)
      throws IOException, ModelArtifactException, ModelStoreException {
    try {
      return new ArtifactInput(artifact, name, version).stage(torchScript, store, scratch);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static Map<String, Object> document(Registered registered) {
    Map<String, Object> document = VersionView.json(registered.version(), null);
    document.remove("deployed");
    document.remove("pinned");
    document.remove("rollbackTarget");
    document.put("stored", registered.stored());
    document.put("announced", registered.announced());
    return document;
  }

  private static String text(Registered registered) {
    ModelVersion v = registered.version();
    String what = v.getModelName() + " v" + v.getVersion();
    String nl = System.lineSeparator();
    if (!registered.stored() && !registered.announced()) {
      return what + " was registered already with this artifact; nothing written" + nl;
    }
    return "registered "
        + what
        + " ("
        + v.getFormat().name().toLowerCase(java.util.Locale.ROOT)
        + ", "
        + VersionView.shape(v)
        + ", "
        + v.getLabels().size()
        + " labels)"
        + nl
        + "  stored     "
        + v.getArtifactUri()
        + (registered.stored() ? "" : " (was there already)")
        + nl
        + "  announced  model-versions "
        + v.getModelName()
        + "/"
        + v.getVersion()
        + (registered.announced() ? "" : " (was there already)")
        + nl
        + "  sha256     "
        + v.getSha256()
        + nl
        + "deploy it with: glimpse models promote "
        + v.getModelName()
        + " "
        + v.getVersion()
        + nl;
  }
}
