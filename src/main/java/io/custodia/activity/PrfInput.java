package io.custodia.activity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.custodia.activity.PeriodKeys.Kind;

/**
 * The PRF inputs of an event's identifying values, the UTF-8 bytes of {@code KIND NUL normalised value} exactly as
 * {@link PeriodKeys#input} builds them from {@link Normalise}'s forms, but made in one pass from the client's text
 * when it is plain ASCII (a name lower-cased byte by byte, an IPv4 address written digit by digit): no normalised
 * string in between. Anything else takes the general way; the bytes are the same (KeyingUnitTests), and so is
 * every refusal.
 */
final class PrfInput {

	private static final byte[] USER = prefix(Kind.USER);

	private static final byte[] IP = prefix(Kind.IP);

	private static final byte[] HOST = prefix(Kind.HOST);

	private PrfInput() {
	}

	private static byte[] prefix(Kind kind) {
		return (kind.name() + '\u0000').getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] userName(String value) {
		if (value == null) {
			return null;
		}
		byte[] input = asciiName(USER, value, false);
		return input != null ? input : PeriodKeys.input(Kind.USER, Normalise.userName(value));
	}

	static byte[] hostName(String value) {
		if (value == null) {
			return null;
		}
		byte[] input = asciiName(HOST, value, true);
		return input != null ? input : PeriodKeys.input(Kind.HOST, Normalise.hostName(value));
	}

	static byte[] ipAddress(String value) {
		if (value == null) {
			return null;
		}
		byte[] input = new byte[IP.length + 15];
		System.arraycopy(IP, 0, input, 0, IP.length);
		int end = Normalise.ipv4(value.strip(), input, IP.length);
		return end >= 0 ? Arrays.copyOf(input, end) : PeriodKeys.input(Kind.IP, Normalise.ipAddress(value));
	}

	static byte[] macAddress(String value) {
		return value == null ? null : PeriodKeys.input(Kind.MAC, Normalise.macAddress(value));
	}

	/** A name of ASCII characters only, stripped, lower-cased and in bounds; null for the general way. */
	private static byte[] asciiName(byte[] prefix, String value, boolean host) {
		String text = value.strip();
		int length = text.length();
		if (length == 0 || length > Normalise.MAX_NAME) {
			return null;
		}
		int end = host && text.charAt(length - 1) == '.' ? length - 1 : length;
		byte[] input = new byte[prefix.length + end];
		System.arraycopy(prefix, 0, input, 0, prefix.length);
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				return null;
			}
			input[prefix.length + i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		}
		return input;
	}
}
