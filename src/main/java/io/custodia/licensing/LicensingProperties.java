package io.custodia.licensing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the licensing service ({@code custodia.licensing.*}).
 *
 * @param leaseTtl how long a lease lasts without a heartbeat (default 5 minutes)
 * @param sweepSchedule when expired leases are released besides lazily at checkout (cron, UTC; default every minute)
 */
@ConfigurationProperties("custodia.licensing")
public record LicensingProperties(Duration leaseTtl, String sweepSchedule) {

	public LicensingProperties {
		leaseTtl = leaseTtl == null ? Duration.ofMinutes(5) : leaseTtl;
		if (leaseTtl.isNegative() || leaseTtl.isZero()) {
			throw new IllegalArgumentException("custodia.licensing.lease-ttl must be positive, e.g. 5m");
		}
		sweepSchedule = sweepSchedule == null || sweepSchedule.isBlank() ? "30 * * * * *" : sweepSchedule;
	}
}
