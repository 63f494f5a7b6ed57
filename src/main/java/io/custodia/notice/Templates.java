package io.custodia.notice;

import java.util.Map;
import java.util.Set;

import org.thymeleaf.context.Context;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import io.custodia.policy.Language;

/**
 * The Thymeleaf engine for notices and records. It runs without the service, so the CLI renders exactly
 * what the service serves.
 */
final class Templates {

	private static final SpringTemplateEngine ENGINE = engine();

	private Templates() {
	}

	static String render(String template, Language language, Map<String, Object> model) {
		var context = new Context(language.locale(), model);
		return ENGINE.process(template, context);
	}

	private static SpringTemplateEngine engine() {
		var engine = new SpringTemplateEngine();
		engine.setTemplateResolvers(Set.of(resolver(".html", TemplateMode.HTML, 1), resolver(".md", TemplateMode.TEXT, 2),
				resolver(".txt", TemplateMode.TEXT, 3)));
		engine.setMessageResolver(new BundleMessageResolver());
		return engine;
	}

	private static ClassLoaderTemplateResolver resolver(String suffix, TemplateMode mode, int order) {
		var resolver = new ClassLoaderTemplateResolver(Templates.class.getClassLoader());
		resolver.setPrefix("notice/templates/");
		resolver.setResolvablePatterns(Set.of("*" + suffix));
		resolver.setTemplateMode(mode);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCheckExistence(true);
		resolver.setCacheable(true);
		resolver.setOrder(order);
		return resolver;
	}

	/** #{key(args)} in templates reads the notice bundle of the template's language. */
	private static final class BundleMessageResolver extends AbstractMessageResolver {

		@Override
		public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] parameters) {
			var messages = Messages.of(Language.of(context.getLocale().getLanguage()));
			return messages.has(key) ? messages.get(key, parameters == null ? new Object[0] : parameters) : null;
		}

		@Override
		public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
				Object[] parameters) {
			throw new IllegalStateException("message '" + key + "' is missing for " + context.getLocale());
		}
	}
}
