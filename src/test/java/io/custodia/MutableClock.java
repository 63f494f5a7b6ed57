package io.custodia;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** A clock tests move by hand: retention and deadlines are tested by moving time, never by sleeping. */
public final class MutableClock extends Clock {

	private volatile Instant now = Instant.parse("2026-01-15T12:00:00Z");

	public void set(Instant instant) {
		this.now = instant;
	}

	/** Noon UTC of the day: the same date in every European zone. */
	public void setDay(LocalDate day) {
		this.now = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		MutableClock parent = this;
		return new Clock() {
			@Override
			public ZoneId getZone() {
				return zone;
			}

			@Override
			public Clock withZone(ZoneId other) {
				return parent.withZone(other);
			}

			@Override
			public Instant instant() {
				return parent.instant();
			}
		};
	}

	@Override
	public Instant instant() {
		return now;
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Config {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock();
		}
	}
}
