package io.custodia.records;

import java.util.List;
import java.util.UUID;

/** A page of de-identified records; ask again with {@code after=next} while {@code next} is not null. */
public record DeidentifiedPage(List<RecordView> records, UUID next) {
}
