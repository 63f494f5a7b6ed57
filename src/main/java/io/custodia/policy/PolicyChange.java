package io.custodia.policy;

/**
 * One difference between two versions of a policy. A material change alters what happens to people's data
 * or who gets it; it must be announced before it takes effect (R25). An editorial one does not.
 *
 * @param kind what changed
 * @param element where, as a dotted path: {@code activities.recruitment.retention.hired_10_years}
 * @param description the change in words, old and new value
 */
public record PolicyChange(Kind kind, String element, String description) {

	public boolean material() {
		return kind.material;
	}

	public enum Kind {

		ACTIVITY_ADDED(true), ACTIVITY_REMOVED(false), PURPOSE_CHANGED(true), LEGAL_BASIS_CHANGED(true),
		LEGITIMATE_INTEREST_CHANGED(true), MARKETING_STARTED(true), SUBJECT_TYPE_ADDED(true),
		SUBJECT_TYPE_REMOVED(false), CATEGORY_ADDED(true), CATEGORY_REMOVED(false), FIELD_ADDED(true),
		FIELD_REMOVED(false), FIELD_NO_LONGER_IDENTIFYING(true), FIELD_NOW_IDENTIFYING(false),
		SPECIAL_CATEGORY(true), SOURCE_CHANGED(true), RECIPIENT_ADDED(true), RECIPIENT_REMOVED(false),
		RECIPIENT_ROLE_CHANGED(true), TRANSFER_ADDED(true), SAFEGUARD_CHANGED(true), RETENTION_LONGER(true),
		RETENTION_SHORTER(false), RETENTION_RULE_ADDED(true), RETENTION_RULE_REMOVED(true),
		RETENTION_CLOCK_CHANGED(true), RETENTION_CONDITION_CHANGED(true), RETENTION_ACTION_WEAKER(true),
		RETENTION_ACTION_STRONGER(false), COOKIE_ADDED(true), COOKIE_REMOVED(false), COOKIE_LONGER(true),
		COOKIE_SHORTER(false), COOKIE_CATEGORY_CHANGED(true), COOKIE_PROVIDER_CHANGED(true),
		CONTROLLER_CHANGED(true), CONTACT_CHANGED(false), AUTHORITY_CHANGED(false), AGE_OF_CONSENT_LOWERED(true),
		AGE_OF_CONSENT_RAISED(false), RIGHT_CHANNEL_REMOVED(true), RIGHT_CHANNEL_ADDED(false),
		NOTICE_PERIOD_SHORTER(true), NOTICE_PERIOD_LONGER(false), LANGUAGE_ADDED(false), LANGUAGE_REMOVED(true),
		TEXT_CHANGED(false), VERSION_CHANGED(false);

		private final boolean material;

		Kind(boolean material) {
			this.material = material;
		}

		public boolean material() {
			return material;
		}

		/** The kind as written in reports: {@code retention-longer}. */
		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}
	}
}
