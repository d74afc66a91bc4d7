package io.glimpse.model.store;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns what the AWS SDK throws into the store's exceptions: no answer (connection refused, a
 * timeout), a server error (5xx) or throttling becomes a {@link StoreUnavailableException}, worth
 * retrying; any other answer (access denied, no such bucket) a plain {@link ModelStoreException}.
 * Messages name the request and the store, never a credential.
 */
final class S3Failures {

  private S3Failures() {}

  static ModelStoreException of(String what, S3StoreLayout layout, SdkException e) {
    if (isTransient(e)) {
      return new StoreUnavailableException(
          what
              + ": the model store "
              + layout.rootUri()
              + " is unavailable ("
              + summary(e)
              + "); retrying, check that S3 (or the endpoint set in glimpse.s3.endpoint) is up",
          e);
    }
    return new ModelStoreException(
        what
            + ": the model store "
            + layout.rootUri()
            + " refused the request ("
            + summary(e)
            + "); check the bucket, its policy and the credentials in the AWS SDK's default chain",
        e);
  }

  static boolean isTransient(SdkException e) {
    if (e instanceof SdkServiceException service) {
      return service.statusCode() >= 500 || service.isThrottlingException();
    }
    return e instanceof SdkClientException;
  }

  private static String summary(SdkException e) {
    if (e instanceof SdkServiceException service) {
      return "HTTP " + service.statusCode() + ": " + firstLine(e.getMessage());
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
