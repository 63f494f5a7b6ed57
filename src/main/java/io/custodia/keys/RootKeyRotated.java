package io.custodia.keys;

/** The root key was rotated and every tenant's keysets wrapped again under the new primary key. */
public record RootKeyRotated(long primaryKeyId) {
}
