package io.custodia.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option values checked against what is allowed, with a usage error (exit 2) that lists the choices. */
final class Options {

	private Options() {
	}

	static <E extends Enum<E>> E choice(CommandSpec spec, String option, String value, Class<E> type) {
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equalsIgnoreCase(value)) {
				return constant;
			}
		}
		throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': '" + value
				+ "'; allowed: " + Arrays.stream(type.getEnumConstants())
					.map(c -> c.name().toLowerCase(Locale.ROOT))
					.collect(Collectors.joining(", ")));
	}

	static Language language(CommandSpec spec, String value, Policy policy) {
		if (value == null) {
			return policy.original();
		}
		Language language = choice(spec, "--lang", value, Language.class);
		if (!policy.languages().contains(language)) {
			throw new ParameterException(spec.commandLine(), "the policy is not published in '" + value + "'; it has: "
					+ policy.languages().stream().map(Language::code).collect(Collectors.joining(", ")));
		}
		return language;
	}
}
