package io.custodia.records;

import java.util.UUID;

/** A subject found or created by its identifiers. */
public record SubjectRef(UUID id, boolean created) {
}
