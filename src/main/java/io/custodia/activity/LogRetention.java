package io.custodia.activity;

import java.time.Period;
import java.time.ZoneId;

/**
 * How long a tenant's activity log keeps pseudonyms, from its policy: the first retention rule of the configured
 * activity, or the default. {@code delete} when that rule deletes rather than de-identifies.
 */
record LogRetention(ZoneId zone, Period period, boolean delete, String source) {
}
