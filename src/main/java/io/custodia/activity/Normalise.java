package io.custodia.activity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Canonical forms of the identifying values, taken before keying so that one person's differently written values
 * meet: user and host names lower-cased (Unicode NFC, trimmed; a host name's trailing dot removed), IPv4 in dotted
 * decimal without leading zeros, IPv6 in full lower-case hexadecimal groups, MAC addresses as six lower-case
 * colon-separated pairs. Nothing here resolves a name: an address is parsed only when it is a literal. The common
 * cases take short paths with the same results: pure-ASCII names (NFC leaves ASCII unchanged), IPv4 and MAC
 * addresses read character by character.
 */
final class Normalise {

	static final int MAX_NAME = 255;

	private Normalise() {
	}

	static String userName(String value) {
		return name("user_name", value);
	}

	static String hostName(String value) {
		String name = name("host_name", value);
		return name != null && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	private static String name(String field, String value) {
		if (value == null) {
			return null;
		}
		String stripped = value.strip();
		String name = ascii(stripped) ? asciiLowerCase(stripped)
				: Normalizer.normalize(stripped, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
		if (name.isEmpty() || name.length() > MAX_NAME) {
			throw new InvalidEventException(field, "must be 1 to " + MAX_NAME + " characters", "1 to " + MAX_NAME + " characters, or leave it out");
		}
		return name;
	}

	static String ipAddress(String value) {
		if (value == null) {
			return null;
		}
		String text = value.strip();
		String ipv4 = ipv4(text);
		if (ipv4 != null) {
			return ipv4;
		}
		if (text.startsWith("[") && text.endsWith("]")) {
			text = text.substring(1, text.length() - 1);
		}
		// only a literal of hex digits, colons and (for an embedded IPv4 tail) dots reaches InetAddress, which then
		// parses it without asking any name server
		if (text.length() < 2 || text.length() > 45 || text.indexOf(':') < 0 || !text.chars().allMatch(Normalise::ipv6Char)) {
			throw invalidIp();
		}
		try {
			InetAddress address = InetAddress.getByName(text);
			if (address instanceof Inet6Address v6) {
				return v6.getHostAddress().toLowerCase(Locale.ROOT);
			}
			return address.getHostAddress();
		}
		catch (UnknownHostException ex) {
			throw invalidIp();
		}
	}

	private static boolean ipv6Char(int c) {
		return c == ':' || c == '.' || Character.digit(c, 16) >= 0;
	}

	private static String ipv4(String text) {
		byte[] canonical = new byte[15];
		int end = ipv4(text, canonical, 0);
		return end < 0 ? null : new String(canonical, 0, end, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Four parts of one to three decimal digits separated by dots, read without splitting, written in canonical
	 * form into {@code out} from {@code offset} (room for 15 bytes); returns where it ends, or -1 when the text has
	 * not that shape (it may be IPv6). Refused when a part is over 255.
	 */
	static int ipv4(String text, byte[] out, int offset) {
		int length = text.length();
		int dots = 0;
		for (int i = 0; i < length; i++) {
			if (text.charAt(i) == '.') {
				dots++;
			}
		}
		if (dots != 3) {
			return -1;
		}
		int at = offset;
		int start = 0;
		for (int part = 0; part < 4; part++) {
			int end = part < 3 ? text.indexOf('.', start) : length;
			if (end == start || end - start > 3) {
				return -1;
			}
			int octet = 0;
			for (int i = start; i < end; i++) {
				char c = text.charAt(i);
				if (c < '0' || c > '9') {
					return -1;
				}
				octet = octet * 10 + (c - '0');
			}
			if (octet > 255) {
				throw invalidIp();
			}
			if (part > 0) {
				out[at++] = '.';
			}
			if (octet >= 100) {
				out[at++] = (byte) ('0' + octet / 100);
			}
			if (octet >= 10) {
				out[at++] = (byte) ('0' + octet / 10 % 10);
			}
			out[at++] = (byte) ('0' + octet % 10);
			start = end + 1;
		}
		return at;
	}

	/** Pure ASCII is already in NFC, and its lower case (any locale but a Turkic one) is A-Z to a-z. */
	private static boolean ascii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	private static String asciiLowerCase(String text) {
		int i = 0;
		while (i < text.length() && (text.charAt(i) < 'A' || text.charAt(i) > 'Z')) {
			i++;
		}
		if (i == text.length()) {
			return text;
		}
		byte[] lower = new byte[text.length()];
		for (int j = 0; j < lower.length; j++) {
			char c = text.charAt(j);
			lower[j] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		}
		return new String(lower, StandardCharsets.ISO_8859_1);
	}

	private static InvalidEventException invalidIp() {
		return new InvalidEventException("ip_address", "is not an IPv4 or IPv6 address",
				"an IPv4 address (192.0.2.10) or an IPv6 address (2001:db8::10)");
	}

	static String macAddress(String value) {
		if (value == null) {
			return null;
		}
		String text = value.strip();
		char[] canonical = new char[17];
		int digits = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == ':' || c == '-' || c == '.') {
				continue;
			}
			char lower;
			if (c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				lower = c;
			}
			else if (c >= 'A' && c <= 'F') {
				lower = (char) (c + ('a' - 'A'));
			}
			else if (c >= 0x80 && Character.digit(c, 16) >= 0) {
				// a digit of another script, kept as the general rule always kept it
				lower = Character.toLowerCase(c);
			}
			else {
				throw invalidMac();
			}
			if (digits == 12) {
				throw invalidMac();
			}
			int at = digits + digits / 2;
			if (digits > 0 && digits % 2 == 0) {
				canonical[at - 1] = ':';
			}
			canonical[at] = lower;
			digits++;
		}
		if (digits != 12) {
			throw invalidMac();
		}
		return new String(canonical);
	}

	private static InvalidEventException invalidMac() {
		return new InvalidEventException("mac_address", "is not a MAC address of six bytes",
				"six hexadecimal pairs, e.g. 00:1a:2b:3c:4d:5e, 00-1A-2B-3C-4D-5E or 001a.2b3c.4d5e");
	}

	/** A free-text label such as a product or browser name: trimmed, bounded, never keyed. */
	static String label(String field, String value, int max) {
		if (value == null) {
			return null;
		}
		String label = value.strip();
		if (label.isEmpty() || label.length() > max) {
			throw new InvalidEventException(field, "must be 1 to " + max + " characters", "1 to " + max + " characters");
		}
		return label;
	}
}
