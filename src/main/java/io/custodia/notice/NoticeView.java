package io.custodia.notice;

import java.util.List;

/** Everything a notice shows, already in its language; the templates only lay it out. */
record NoticeView(String language, String title, String version, String effective, String lastUpdated,
		Controller controller, Contact contact, Objection objection, List<ActivityView> activities,
		List<RecipientView> recipients, List<RecipientView> transfers, List<CookieView> cookies, List<RightView> rights,
		Authority authority, List<Shown> securityMeasures, String ageOfConsent, String changes, boolean hasFallbacks,
		String fallbackNote) {

	record Controller(String name, String address, String registration, String email, String phone, String website) {
	}

	record Contact(String role, String name, String email, String phone, String address) {
	}

	record Objection(String text, String marketing, List<Shown> activities, List<String> channels) {
	}

	record ActivityView(String id, Shown name, Shown purpose, String basis, Shown interest, Shown basisDetails,
			List<CategoryView> categories, List<Shown> subjects, String source, Shown sourceDetails,
			List<Shown> recipients, List<Shown> retention, String consentNote) {
	}

	record CategoryView(Shown name, Shown description, String fields) {
	}

	record RecipientView(Shown name, String role, String country, String safeguard, Shown safeguardDetails,
			Shown description) {
	}

	record CookieView(String name, Shown provider, String category, String lifetime, Shown purpose) {
	}

	record RightView(String name, String description, List<String> channels) {
	}

	record Authority(Shown name, String country, String website, String address) {
	}
}
