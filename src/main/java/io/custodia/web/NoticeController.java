package io.custodia.web;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.server.ResponseStatusException;

import io.custodia.CustodiaProperties;
import io.custodia.notice.NoticeFormat;
import io.custodia.notice.Notices;
import io.custodia.policy.Language;
import io.custodia.tenancy.PublishedPolicy;
import io.custodia.tenancy.TenantManagement;

/**
 * Serves each tenant's notice at {@code /notices/{tenant}/{lang}} (HTML) and {@code .../{lang}.md}
 * (Markdown). The URLs stay the same across versions; the version in effect today is the one shown.
 */
@Controller
class NoticeController {

	private final TenantManagement tenants;

	private final CustodiaProperties properties;

	private final Clock clock;

	NoticeController(TenantManagement tenants, CustodiaProperties properties, Clock clock) {
		this.tenants = tenants;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/")
	String index(Model model) {
		var entries = tenants.all().stream().map(tenant -> {
			var languages = tenants.inEffect(tenant.id())
				.map(p -> p.policy().languages().stream().map(Language::code).toList())
				.orElse(List.of());
			return new TenantEntry(tenant.id(), tenant.name(), languages);
		}).toList();
		model.addAttribute("tenants", entries);
		model.addAttribute("clockFixed", properties.fixedClock().map(Object::toString).orElse(null));
		model.addAttribute("now", clock.instant().toString());
		return "index";
	}

	record TenantEntry(String id, String name, List<String> languages) {
	}

	/** Sends a reader to the notice in the language they prefer, of those the tenant publishes. */
	@GetMapping("/notices/{tenant}")
	ResponseEntity<Void> preferred(@PathVariable String tenant,
			@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
		PublishedPolicy published = published(tenant);
		List<Locale> available = published.policy().languages().stream().map(Language::locale).toList();
		Locale best = null;
		if (acceptLanguage != null) {
			try {
				best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), available);
			}
			catch (IllegalArgumentException ignored) {
				// a malformed header is treated as no preference
			}
		}
		String code = best != null ? best.getLanguage() : published.policy().original().code();
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.location(URI.create("/notices/" + tenant + "/" + code))
			.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
			.build();
	}

	@GetMapping(path = "/notices/{tenant}/{lang:[a-z]{2}}")
	ResponseEntity<String> html(@PathVariable String tenant, @PathVariable String lang) {
		return render(tenant, lang, NoticeFormat.HTML);
	}

	@GetMapping(path = "/notices/{tenant}/{lang:[a-z]{2}}.md")
	ResponseEntity<String> markdown(@PathVariable String tenant, @PathVariable String lang) {
		return render(tenant, lang, NoticeFormat.MD);
	}

	private ResponseEntity<String> render(String tenant, String lang, NoticeFormat format) {
		PublishedPolicy published = published(tenant);
		var languages = published.policy().languages();
		Language language = languages.stream().filter(l -> l.code().equals(lang)).findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "the notice of '" + tenant
					+ "' is not published in '" + lang + "'; it is published in: "
					+ languages.stream().map(Language::code).collect(Collectors.joining(", "))));
		String body = Notices.render(published.policy(), language, format);
		var response = ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(format.mediaType() + ";charset=UTF-8"))
			.header(HttpHeaders.CONTENT_LANGUAGE, language.code())
			.header("X-Policy-Version", published.version())
			.eTag("\"" + published.sha256().substring(0, 16) + "-" + language.code() + "-" + format.name().toLowerCase(Locale.ROOT) + "\"")
			.cacheControl(CacheControl.noCache());
		properties.fixedClock().ifPresent(fixed -> response.header("X-Custodia-Clock", "fixed at " + fixed));
		return response.body(body);
	}

	private PublishedPolicy published(String tenant) {
		return tenants.inEffect(tenant)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no tenant '" + tenant + "' with a policy in effect"));
	}
}
