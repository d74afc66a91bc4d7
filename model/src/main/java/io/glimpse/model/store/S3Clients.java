package io.glimpse.model.store;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the {@link S3Client} an {@link S3ModelStore} uses: the URL-connection HTTP client (no
 * Netty, no Apache), credentials from the SDK's default chain only, and short timeouts with few
 * retries, so that a request during an outage fails within seconds and is retried by the caller's
 * own backoff instead of hanging a reload.
 */
final class S3Clients {

  /** How long to wait for a TCP connection. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long a read may stall. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  /** How long one attempt may take. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

  /** How long one call may take, retries included. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Attempts per call, the first included. */
  static final int MAX_ATTEMPTS = 3;

  private S3Clients() {}

  static S3Client create(S3StoreSettings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            // Third-party stores (MinIO, Ceph, older S3Proxy) reject the SDK's default trailing
            // checksums; Glimpse checks every file's sha256 against the manifest itself.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(CALL_TIMEOUT)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
