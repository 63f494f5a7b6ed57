package io.custodia.consent;

import java.util.List;
import java.util.UUID;

/**
 * What a withdrawal did: its receipt, the records erased because that consent was their only basis, and the
 * records kept (restricted) because a legal hold covers them.
 */
public record Withdrawal(ConsentReceipt receipt, List<AffectedRecord> erased, List<AffectedRecord> kept) {

	/** A record a withdrawal or the age check acted on; {@code reason} says why it was kept, if it was. */
	public record AffectedRecord(UUID recordId, String activity, String reason) {
	}
}
