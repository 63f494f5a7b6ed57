package io.custodia.activity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Canonical forms of the identifying values, taken before keying so that one person's differently written values
 * meet: user and host names lower-cased (Unicode NFC, trimmed; a host name's trailing dot removed), IPv4 in dotted
 * decimal without leading zeros, IPv6 in full lower-case hexadecimal groups, MAC addresses as six lower-case
 * colon-separated pairs. Nothing here resolves a name: an address is parsed only when it is a literal.
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
		String name = Normalizer.normalize(value.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
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
				throw invalidIp();
			}
			canonical.append(canonical.isEmpty() ? "" : ".").append(octet);
		}
		return canonical.toString();
	}

	private static InvalidEventException invalidIp() {
		return new InvalidEventException("ip_address", "is not an IPv4 or IPv6 address",
				"an IPv4 address (192.0.2.10) or an IPv6 address (2001:db8::10)");
	}

	static String macAddress(String value) {
		if (value == null) {
			return null;
		}
		var hex = new StringBuilder(12);
		for (char c : value.strip().toCharArray()) {
			if (c == ':' || c == '-' || c == '.') {
				continue;
			}
			if (Character.digit(c, 16) < 0) {
				throw invalidMac();
			}
			hex.append(Character.toLowerCase(c));
		}
		if (hex.length() != 12) {
			throw invalidMac();
		}
		var canonical = new StringBuilder(17);
		for (int i = 0; i < 12; i += 2) {
			canonical.append(i == 0 ? "" : ":").append(hex, i, i + 2);
		}
		return canonical.toString();
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
