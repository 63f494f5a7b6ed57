package io.custodia.activity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Locale;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import io.custodia.activity.PeriodKeys.Kind;
import io.custodia.activity.PeriodKeys.PeriodKey;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faster keying gives every value the pseudonym the first implementation gave it: the rules as first written
 * (below) against the fast paths, over arbitrary text, and the retention check that a batch skips for recent events.
 */
class KeyingUnitTests {

	/** The first implementation of name normalisation: strip, NFC, lower case in the root locale. */
	static String nameAsFirstWritten(String value) {
		return Normalizer.normalize(value.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
	}

	/** The first implementation's IPv4 rule: four parts split at dots, 1 to 3 ASCII digits each, none over 255. */
	static String ipv4AsFirstWritten(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		var canonical = new StringBuilder();
		for (String part : parts) {
			if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
				return null;
			}
			int octet = Integer.parseInt(part);
			if (octet > 255) {
				return "refused";
			}
			canonical.append(canonical.isEmpty() ? "" : ".").append(octet);
		}
		return canonical.toString();
	}

	/** The first implementation's MAC rule. */
	static String macAsFirstWritten(String value) {
		var hex = new StringBuilder(12);
		for (char c : value.strip().toCharArray()) {
			if (c == ':' || c == '-' || c == '.') {
				continue;
			}
			if (Character.digit(c, 16) < 0) {
				return "refused";
			}
			hex.append(Character.toLowerCase(c));
		}
		if (hex.length() != 12) {
			return "refused";
		}
		var canonical = new StringBuilder(17);
		for (int i = 0; i < 12; i += 2) {
			canonical.append(i == 0 ? "" : ":").append(hex, i, i + 2);
		}
		return canonical.toString();
	}

	private static String orRefused(java.util.function.Supplier<String> normalise) {
		try {
			return normalise.get();
		}
		catch (InvalidEventException ex) {
			return "refused";
		}
	}

	@Provide
	Arbitrary<String> names() {
		Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(40);
		Arbitrary<String> mixed = Arbitraries.strings()
			.withChars("aAzZ09.-_ \t")
			.withChars("\u00e4\u00c4\u00df\u0130\u0131\u0307\u0308\u2003\u00a0\u212a\u00c5\u1e9e")
			.ofMaxLength(20);
		Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(20);
		return Arbitraries.oneOf(ascii, mixed, any);
	}

	@Property(tries = 2000)
	void aNameIsNormalisedAsTheFirstRuleDidWhateverItsCharacters(@ForAll("names") String value) {
		String expected = nameAsFirstWritten(value);
		String expectedUser = expected.isEmpty() || expected.length() > Normalise.MAX_NAME ? "refused" : expected;
		assertThat(orRefused(() -> Normalise.userName(value))).isEqualTo(expectedUser);
		String expectedHost = expectedUser.equals("refused") ? "refused"
				: expected.endsWith(".") ? expected.substring(0, expected.length() - 1) : expected;
		assertThat(orRefused(() -> Normalise.hostName(value))).isEqualTo(expectedHost);
	}

	@Provide
	Arbitrary<String> ipv4Like() {
		Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.integers().between(0, 999).map(String::valueOf),
				Arbitraries.strings().withChars("0123456789x:").ofMaxLength(4));
		return Arbitraries.oneOf(part.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts)),
				Arbitraries.strings().withChars("0123456789.").ofMaxLength(17));
	}

	@Property(tries = 2000)
	void anIpv4AddressIsReadAsTheFirstRuleReadIt(@ForAll("ipv4Like") String value) {
		String expected = ipv4AsFirstWritten(value.strip());
		String actual = orRefused(() -> Normalise.ipAddress(value));
		if (expected == null) {
			// not IPv4-shaped: the general parser decides, unchanged; without a colon it refuses
			if (value.indexOf(':') < 0) {
				assertThat(actual).isEqualTo("refused");
			}
		}
		else {
			assertThat(actual).isEqualTo(expected);
		}
	}

	@Provide
	Arbitrary<String> macLike() {
		return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcdefABCDEF:-. g\u0661\uff21").ofMaxLength(20),
				Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(12));
	}

	@Property(tries = 2000)
	void aMacAddressIsReadAsTheFirstRuleReadIt(@ForAll("macLike") String value) {
		assertThat(orRefused(() -> Normalise.macAddress(value))).isEqualTo(macAsFirstWritten(value));
	}

	/** The input as first built: the normalised form, then {@code KIND NUL value} in UTF-8; or the refusal. */
	private static Object inputAsFirstBuilt(Kind kind, java.util.function.Supplier<String> normalise) {
		try {
			String normalised = normalise.get();
			return normalised == null ? "none" : java.util.List.of(HexFormat.of()
				.formatHex((kind.name() + '\u0000' + normalised).getBytes(StandardCharsets.UTF_8)));
		}
		catch (InvalidEventException ex) {
			return ex.getMessage();
		}
	}

	private static Object input(java.util.function.Supplier<byte[]> build) {
		try {
			byte[] input = build.get();
			return input == null ? "none" : java.util.List.of(HexFormat.of().formatHex(input));
		}
		catch (InvalidEventException ex) {
			return ex.getMessage();
		}
	}

	@Property(tries = 2000)
	void theInputOfANameBuiltInOnePassIsTheInputOfItsNormalisedForm(@ForAll("names") String value) {
		assertThat(input(() -> PrfInput.userName(value))).isEqualTo(inputAsFirstBuilt(Kind.USER, () -> Normalise.userName(value)));
		assertThat(input(() -> PrfInput.hostName(value))).isEqualTo(inputAsFirstBuilt(Kind.HOST, () -> Normalise.hostName(value)));
	}

	@Property(tries = 2000)
	void theInputOfAnAddressBuiltInOnePassIsTheInputOfItsNormalisedForm(@ForAll("ipv4Like") String ip, @ForAll("macLike") String mac) {
		assertThat(input(() -> PrfInput.ipAddress(ip))).isEqualTo(inputAsFirstBuilt(Kind.IP, () -> Normalise.ipAddress(ip)));
		assertThat(input(() -> PrfInput.macAddress(mac))).isEqualTo(inputAsFirstBuilt(Kind.MAC, () -> Normalise.macAddress(mac)));
	}

	@Example
	void hostNamesOfOnlyADotOrWithCapitalsAndAddressesWithSpacesGetTheInputOfTheirNormalisedForm() {
		for (String host : new String[] { ".", "WKS-17.Plant.Example.", " a ", "\u00c5sa.", "x".repeat(255), "x".repeat(256) }) {
			assertThat(input(() -> PrfInput.hostName(host))).as(host).isEqualTo(inputAsFirstBuilt(Kind.HOST, () -> Normalise.hostName(host)));
		}
		for (String ip : new String[] { " 010.001.000.255 ", "255.255.255.255", "0.0.0.0", "256.0.0.1", "::1", "[2001:db8::1]" }) {
			assertThat(input(() -> PrfInput.ipAddress(ip))).as(ip).isEqualTo(inputAsFirstBuilt(Kind.IP, () -> Normalise.ipAddress(ip)));
		}
		assertThat(input(() -> PrfInput.userName(null))).isEqualTo("none");
	}

	static PeriodKey key(PrfSet prf) {
		try {
			return new PeriodKey(prf);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static PrfSet prf() throws GeneralSecurityException {
		PrfConfig.register();
		return KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF).getPrimitive(RegistryConfiguration.get(), PrfSet.class);
	}

	private static final PrfSet PRF;

	static {
		try {
			PRF = prf();
		}
		catch (GeneralSecurityException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@Property(tries = 1000)
	void aPseudonymIsThePrfOfKindNulValueAsTheFirstImplementationComputedIt(@ForAll("names") String value,
			@ForAll Kind kind) throws GeneralSecurityException {
		String expected = kind.prefix + HexFormat.of()
			.formatHex(PRF.computePrimary((kind.name() + '\u0000' + value).getBytes(StandardCharsets.UTF_8), 12));
		assertThat(PeriodKeys.input(kind, value)).isEqualTo((kind.name() + '\u0000' + value).getBytes(StandardCharsets.UTF_8));
		assertThat(key(PRF).pseudonym(kind, value)).isEqualTo(expected);
		assertThat(PeriodKeys.text(kind, key(PRF).raw(kind, value))).isEqualTo(expected);
	}

	@Example
	void aValueLeftOutHasNoPseudonym() {
		assertThat(key(PRF).raw(Kind.USER, null)).isNull();
		assertThat(PeriodKeys.text(Kind.USER, null)).isNull();
	}

	@Provide
	Arbitrary<ZoneId> zones() {
		return Arbitraries.of("Europe/Berlin", "UTC", "America/Santiago", "Australia/Lord_Howe", "Pacific/Kiritimati",
				"America/St_Johns").map(ZoneId::of);
	}

	@Property(tries = 3000)
	void anEventAfterTheSurelyKeptInstantIsAlwaysWithinTheRetention(@ForAll("zones") ZoneId zone,
			@ForAll @IntRange(min = 0, max = 10) int years, @ForAll @IntRange(min = 0, max = 40) int months,
			@ForAll @IntRange(min = 0, max = 62) int days, @ForAll @LongRange(min = 0, max = 400_000_000) long nowSeconds,
			@ForAll @LongRange(min = 0, max = 200L * 24 * 3600) long afterSeconds) {
		Period period = Period.of(years, months, days);
		if (period.isZero()) {
			return;
		}
		var retention = new LogRetention(zone, period, false, "test");
		Instant now = Instant.parse("2020-01-01T00:00:00Z").plusSeconds(nowSeconds);
		Instant surely = retention.surelyKeptFrom(now);
		Instant at = surely.plusSeconds(afterSeconds);
		assertThat(retention.keeps(at, now)).as("%s at %s, now %s", period, at, now).isTrue();
	}

	@Example
	void aRetentionWithANegativePartHasEveryEventCheckedExactly() {
		var retention = new LogRetention(ZoneId.of("UTC"), Period.of(0, 6, -3), false, "test");
		assertThat(retention.surelyKeptFrom(Instant.parse("2026-06-01T00:00:00Z"))).isNull();
		assertThat(retention.keeps(Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"))).isTrue();
		assertThat(retention.keeps(Instant.parse("2025-11-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"))).isFalse();
	}
}
