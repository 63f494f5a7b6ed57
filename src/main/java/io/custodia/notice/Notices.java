package io.custodia.notice;

import java.util.Map;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;

/** Renders a policy's privacy notice (Art. 13/14 GDPR) in one of the policy's languages. */
public final class Notices {

	private Notices() {
	}

	public static String render(Policy policy, Language language, NoticeFormat format) {
		NoticeView view = new NoticeBuilder(policy, language).build();
		String template = switch (format) {
			case HTML -> "notice.html";
			case MD -> "notice.md";
		};
		return Templates.render(template, language, Map.of("n", view));
	}
}
