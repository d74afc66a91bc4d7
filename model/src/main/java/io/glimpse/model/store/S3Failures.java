package io.glimpse.model.store;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns what the AWS SDK throws into the store's exceptions: no answer (connection refused, a
 * timeout), a server error (5xx) or throttling becomes a {@link StoreUnavailableException}, worth
 * retrying; any other answer (access denied, no such bucket), and no credentials found at all, a
 * plain {@link ModelStoreException}. Messages name the request and the store, never a credential.
 */
final class S3Failures {

  private S3Failures() {}

  static ModelStoreException of(String what, S3StoreLayout layout, SdkException e) {
    if (isMissingCredentials(e)) {
      return new ModelStoreException(
          what
              + ": no AWS credentials found for the model store "
              + layout.rootUri()
              + "; the AWS SDK's default chain looks for AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey system"
              + " properties), a profile in ~/.aws/credentials (AWS_PROFILE), web identity"
              + " (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), then container and instance"
              + " roles: provide one of them",
          e);
    }
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
    return e instanceof SdkClientException && !isMissingCredentials(e);
  }

  /** The SDK's credential providers found nothing: retrying cannot help. */
  private static boolean isMissingCredentials(SdkException e) {
    return e instanceof SdkClientException
        && e.getMessage() != null
        && e.getMessage().startsWith("Unable to load credentials");
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
