package io.custodia.records;

/** What became of an expired record, and whether its subject went with it. */
public record Expiry(boolean deleted, boolean deidentified, boolean subjectErased) {
}
