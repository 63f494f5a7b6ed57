package io.custodia.notice;

import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.LegalBasis;
import io.custodia.policy.Policy.Recipient;
import io.custodia.policy.Policy.Right;
import io.custodia.policy.Text;

/** Builds the Art. 13/14 content of a policy's notice in one language. */
final class NoticeBuilder {

	private final Policy policy;

	private final Language language;

	private final Messages messages;

	private final RetentionWording retention;

	private final DateTimeFormatter dates;

	private boolean fallbacks;

	NoticeBuilder(Policy policy, Language language) {
		this.policy = policy;
		this.language = language;
		this.messages = Messages.of(language);
		this.retention = new RetentionWording(policy, language);
		this.dates = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(language.locale());
	}

	NoticeView build() {
		var controller = policy.controller();
		var view = new NoticeView(language.code(), messages.get("notice.title", controller.name()), policy.version(),
				dates.format(policy.effective()), dates.format(policy.lastUpdated()),
				new NoticeView.Controller(controller.name(), controller.address().oneLine(), controller.registration(),
						controller.email(), controller.phone(), controller.website()),
				contact(), objection(), activities(), recipients(false), recipients(true), cookies(), rights(), authority(),
				policy.securityMeasures().stream().map(this::shown).toList(),
				messages.get("notice.age", policy.ageOfConsent()),
				messages.get("notice.changes", retention.period(policy.changeNoticePeriod())), false, null);
		// the fallback flag is only known once every text has been looked up
		return new NoticeView(view.language(), view.title(), view.version(), view.effective(), view.lastUpdated(),
				view.controller(), view.contact(), view.objection(), view.activities(), view.recipients(),
				view.transfers(), view.cookies(), view.rights(), view.authority(), view.securityMeasures(),
				view.ageOfConsent(), view.changes(), fallbacks,
				fallbacks ? messages.get("notice.fallback", displayLanguage(policy.original())) : null);
	}

	private NoticeView.Contact contact() {
		return policy.contact()
			.map(c -> new NoticeView.Contact(messages.get("contact.role." + c.role().name().toLowerCase(Locale.ROOT)),
					c.name(), c.email(), c.phone(), c.address() == null ? null : c.address().oneLine()))
			.orElse(null);
	}

	private NoticeView.Objection objection() {
		List<Shown> targets = new ArrayList<>();
		boolean marketing = false;
		for (Activity activity : policy.activities().values()) {
			if (activity.legalBasis() == LegalBasis.LEGITIMATE_INTEREST || activity.legalBasis() == LegalBasis.PUBLIC_TASK) {
				targets.add(shown(activity.name()));
			}
			marketing |= activity.marketing();
		}
		if (targets.isEmpty() && !marketing) {
			return null;
		}
		return new NoticeView.Objection(messages.get("objection.text"), marketing ? messages.get("objection.marketing") : null,
				targets, channels(Right.OBJECTION));
	}

	private List<NoticeView.ActivityView> activities() {
		var result = new ArrayList<NoticeView.ActivityView>();
		policy.activities().forEach((id, activity) -> {
			var categories = activity.categories().stream().map(c -> {
				var category = policy.dataCategories().get(c);
				return new NoticeView.CategoryView(shown(category.name()), shownOrNull(category.description()),
						String.join(", ", category.fields().entrySet().stream()
							.map(f -> f.getValue().label() != null ? shown(f.getValue().label()).text() : f.getKey())
							.toList()));
			}).toList();
			var recipients = activity.recipients().stream().map(r -> shown(policy.recipients().get(r).name())).toList();
			result.add(new NoticeView.ActivityView(id, shown(activity.name()), shown(activity.purpose()),
					basis(activity.legalBasis()), shownOrNull(activity.legitimateInterest()),
					shownOrNull(activity.legalBasisDetails()), categories,
					activity.subjects().stream().map(s -> shown(policy.subjects().get(s).name())).toList(),
					messages.get("source." + activity.source().kind().name().toLowerCase(Locale.ROOT)),
					shownOrNull(activity.source().description()), recipients,
					activity.retention().stream().map(rule -> mark(retention.describe(activity, rule))).toList(),
					activity.legalBasis() == LegalBasis.CONSENT ? messages.get("consent.withdraw") : null));
		});
		return result;
	}

	String basis(LegalBasis basis) {
		return messages.get("basis." + basis.id()) + " (" + messages.get("basis.article", basis.article()) + ")";
	}

	private List<NoticeView.RecipientView> recipients(boolean transfersOnly) {
		return policy.recipients()
			.values()
			.stream()
			.filter(r -> !transfersOnly || r.isTransfer())
			.map(this::recipient)
			.toList();
	}

	private NoticeView.RecipientView recipient(Recipient recipient) {
		return new NoticeView.RecipientView(shown(recipient.name()),
				messages.get("role." + recipient.role().name().toLowerCase(Locale.ROOT)), country(recipient.country()),
				recipient.safeguard() == null ? null
						: messages.get("safeguard." + recipient.safeguard().name().toLowerCase(Locale.ROOT)),
				shownOrNull(recipient.safeguardDetails()), shownOrNull(recipient.description()));
	}

	private List<NoticeView.CookieView> cookies() {
		return policy.cookies().stream().map(cookie -> {
			Shown provider = Policy.FIRST_PARTY.equals(cookie.provider())
					? Shown.plain(policy.controller().name())
					: shown(policy.recipients().get(cookie.provider()).name());
			String lifetime = cookie.period().map(retention::period).orElse(messages.get("cookie.session"));
			return new NoticeView.CookieView(cookie.name(), provider,
					messages.get("cookie.category." + cookie.category().name().toLowerCase(Locale.ROOT)), lifetime,
					shown(cookie.purpose()));
		}).toList();
	}

	private List<NoticeView.RightView> rights() {
		var result = new ArrayList<NoticeView.RightView>();
		for (Right right : Right.values()) {
			if (policy.rights().containsKey(right)) {
				result.add(new NoticeView.RightView(messages.get("right." + right.id()),
						messages.get("right." + right.id() + ".description"), channels(right)));
			}
		}
		return result;
	}

	private List<String> channels(Right right) {
		return policy.rights().getOrDefault(right, List.of()).stream().map(id -> {
			var channel = policy.channels().get(id);
			String kind = messages.get("channel." + channel.kind().name().toLowerCase(Locale.ROOT));
			String target = channel.target() == null ? "" : ": " + channel.target();
			String description = channel.description() == null ? "" : " (" + shown(channel.description()).text() + ")";
			return kind + target + description;
		}).toList();
	}

	private NoticeView.Authority authority() {
		var authority = policy.supervisoryAuthority();
		return new NoticeView.Authority(shown(authority.name()), country(authority.country()), authority.website(),
				authority.address());
	}

	String country(String code) {
		if ("worldwide".equals(code)) {
			return messages.get("country.worldwide");
		}
		return new Locale("", code).getDisplayCountry(language.locale());
	}

	private String displayLanguage(Language other) {
		return other.locale().getDisplayLanguage(language.locale());
	}

	private Shown shown(Text text) {
		return mark(Shown.of(policy.text(Objects.requireNonNull(text), language)));
	}

	private Shown shownOrNull(Text text) {
		return text == null ? null : shown(text);
	}

	private Shown mark(Shown shown) {
		fallbacks |= shown.isFallback();
		return shown;
	}
}
