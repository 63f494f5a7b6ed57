package io.custodia.vault;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The vault's settings ({@code custodia.vault.*}).
 *
 * @param dir where the local blob store keeps blobs; default {@code ${custodia.data-dir}/vault}
 * @param quotaBytes the default quota of a tenant's vault in bytes of content (a tenant's own limit, set with
 *            {@link Vault#setQuota}, wins); default 10GB
 * @param quotaFiles the default number of files a tenant's vault may hold; default 100,000
 * @param maxGrant the longest operator access a tenant may approve; default 72h
 * @param uploadReadBuffer how much of a request body Tomcat reads from the socket at a time; default 64KB
 */
@ConfigurationProperties("custodia.vault")
record VaultProperties(Path dir, DataSize quotaBytes, Long quotaFiles, Duration maxGrant, DataSize uploadReadBuffer) {

	VaultProperties {
		quotaBytes = quotaBytes == null ? DataSize.ofGigabytes(10) : quotaBytes;
		quotaFiles = quotaFiles == null ? 100_000L : quotaFiles;
		maxGrant = maxGrant == null ? Duration.ofHours(72) : maxGrant;
		uploadReadBuffer = uploadReadBuffer == null ? DataSize.ofKilobytes(64) : uploadReadBuffer;
	}
}
