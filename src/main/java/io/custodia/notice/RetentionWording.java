package io.custodia.notice;

import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Bound;
import io.custodia.policy.Policy.RetentionRule;
import io.custodia.policy.Text;

/**
 * Says a retention rule in words of one language: <q>up to 6 months after your visit, then de-identified</q>,
 * <q>tot 6 maanden na uw bezoek</q>, <q>bis zu 6 Monate nach Ihrem Besuch</q>.
 */
final class RetentionWording {

	private final Policy policy;

	private final Language language;

	private final Messages messages;

	RetentionWording(Policy policy, Language language) {
		this.policy = policy;
		this.language = language;
		this.messages = Messages.of(language);
	}

	/** The rule in words, with the condition it applies under first when it has one. */
	Shown describe(Activity activity, RetentionRule rule) {
		Text.Localized clock = clockPhrase(activity, rule.from());
		String period = period(rule.period());
		String body;
		if (rule.bound() == Bound.AT_MOST) {
			body = messages.get("retention.at_most", period, clock.value());
		}
		else if (rule.max() != null) {
			body = messages.get("retention.at_least_max", period, period(rule.max()), clock.value());
		}
		else {
			body = messages.get("retention.at_least", period, clock.value());
		}
		body = body + messages.get("retention.then." + rule.action().name().toLowerCase(Locale.ROOT));
		boolean fallback = clock.fallback();
		var conditions = new ArrayList<String>();
		for (Map.Entry<String, List<String>> condition : rule.conditions().entrySet()) {
			Map<String, Text> values = activity.states().get(condition.getKey());
			for (String value : condition.getValue()) {
				Text.Localized label = policy.text(values.get(value), language);
				fallback |= label.fallback();
				conditions.add(label.value());
			}
		}
		String text = conditions.isEmpty() ? capitalise(body) : String.join("; ", conditions) + ": " + body;
		if (rule.note() != null) {
			Text.Localized note = policy.text(rule.note(), language);
			fallback |= note.fallback();
			text = text + " (" + note.value() + ")";
		}
		return new Shown(text, fallback ? policy.original().code() : null);
	}

	private Text.Localized clockPhrase(Activity activity, String clock) {
		if (Policy.COLLECTED.equals(clock) && !activity.clocks().containsKey(clock)) {
			return new Text.Localized(messages.get("retention.clock.collected"), language, false);
		}
		return policy.text(activity.clocks().get(clock), language);
	}

	/** A period in words: "6 months", "1 Jahr und 6 Monate", "30 dagen". */
	String period(Period period) {
		var parts = new ArrayList<String>();
		if (period.getYears() > 0) {
			parts.add(messages.get("period.years", period.getYears()));
		}
		if (period.getMonths() > 0) {
			parts.add(messages.get("period.months", period.getMonths()));
		}
		if (period.getDays() > 0) {
			parts.add(messages.get("period.days", period.getDays()));
		}
		if (parts.size() == 1) {
			return parts.get(0);
		}
		return String.join(", ", parts.subList(0, parts.size() - 1)) + " " + messages.get("period.and") + " "
				+ parts.get(parts.size() - 1);
	}

	private String capitalise(String text) {
		return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(messages.locale()) + text.substring(1);
	}
}
