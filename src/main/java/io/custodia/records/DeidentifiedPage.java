package io.custodia.records;

import java.util.List;
import java.util.UUID;

/**
 * A page of de-identified records; ask again with {@code after=next} while {@code next} is not null. A page may hold
 * fewer records than asked for (none, even) and still have a {@code next}: each page looks at a bounded number of
 * records.
 */
public record DeidentifiedPage(List<RecordView> records, UUID next) {
}
