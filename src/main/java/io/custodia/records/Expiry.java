package io.custodia.records;

/**
 * What became of an expired record, and whether its subject went with it; {@code heldBy}, the reference of a legal
 * hold placed while the run was under way that kept the record (then nothing was done to it), or null.
 */
public record Expiry(boolean deleted, boolean deidentified, boolean subjectErased, String heldBy) {
}
