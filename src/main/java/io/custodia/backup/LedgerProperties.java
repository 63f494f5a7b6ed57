package io.custodia.backup;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the erasure ledger lives ({@code custodia.erasure-ledger.file}); by default
 * {@code erasure-ledger/erasures.log} beside the data directory, never inside it or inside the backup directory.
 */
@ConfigurationProperties("custodia.erasure-ledger")
record LedgerProperties(Path file) {
}
