package io.custodia.activity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One person's differently written values meet before keying; nothing that is not a literal address is resolved. */
class NormaliseUnitTests {

	@Test
	void userAndHostNamesMeetWhateverTheirCaseSpacesOrTrailingDot() {
		assertThat(Normalise.userName("  J.Doe ")).isEqualTo(Normalise.userName("j.doe"));
		assertThat(Normalise.hostName("WKS-17.Plant.Example.")).isEqualTo("wks-17.plant.example");
		assertThat(Normalise.userName(null)).isNull();
		assertThatThrownBy(() -> Normalise.userName("   ")).isInstanceOf(InvalidEventException.class)
			.hasMessageStartingWith("user_name:");
	}

	@Test
	void addressesTakeOneCanonicalForm() {
		assertThat(Normalise.ipAddress("192.000.002.010")).isEqualTo("192.0.2.10");
		assertThat(Normalise.ipAddress("2001:DB8::10")).isEqualTo(Normalise.ipAddress("2001:0db8:0:0:0:0:0:0010"))
			.isEqualTo("2001:db8:0:0:0:0:0:10");
		assertThat(Normalise.ipAddress("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(Normalise.macAddress("00-1A-2B-3C-4D-5E")).isEqualTo(Normalise.macAddress("001a.2b3c.4d5e"))
			.isEqualTo("00:1a:2b:3c:4d:5e");
	}

	@Test
	void namesOutsideAsciiAreStillNormalisedToOneFormAndLowerCased() {
		assertThat(Normalise.userName("J\u00dcRGEN")).isEqualTo("j\u00fcrgen");
		assertThat(Normalise.userName("Ju\u0308rgen")).as("decomposed \u00fc").isEqualTo(Normalise.userName("J\u00fcrgen"));
		assertThat(Normalise.hostName("\u00c5SA-Laptop.")).isEqualTo("\u00e5sa-laptop");
		assertThat(Normalise.userName("\u0130pek")).as("Turkish dotted capital I, as the root locale lowers it").isEqualTo("i\u0307pek");
		assertThat(Normalise.userName("\u2003Doe\u2003")).as("a non-ASCII space around the name").isEqualTo("doe");
		assertThat(Normalise.userName("jdoe")).as("an ASCII name without capitals is taken as it is").isSameAs(Normalise.userName("jdoe"))
			.isEqualTo("jdoe");
	}

	@Test
	void ipv4AddressesAreReadByHandAndOnlyTheirShapeDecidesWhetherIPv6IsTried() {
		assertThat(Normalise.ipAddress(" 010.001.000.255 ")).isEqualTo("10.1.0.255");
		assertThat(Normalise.ipAddress("0.0.0.0")).isEqualTo("0.0.0.0");
		assertThat(Normalise.ipAddress("::ffff:192.0.2.1")).as("IPv4-mapped IPv6").isEqualTo("192.0.2.1");
		assertThat(Normalise.ipAddress("::192.0.2.1")).isEqualTo("0:0:0:0:0:0:c000:201");
		for (String notAnAddress : new String[] { "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.0004", "1.2.3.x", "300.1.1.x" }) {
			assertThatThrownBy(() -> Normalise.ipAddress(notAnAddress)).as(notAnAddress)
				.isInstanceOf(InvalidEventException.class)
				.hasMessage("ip_address: is not an IPv4 or IPv6 address");
		}
	}

	@Test
	void macAddressesWithAnySeparatorsOrNoneMeet() {
		assertThat(Normalise.macAddress("001A2B3C4D5E")).isEqualTo("00:1a:2b:3c:4d:5e");
		assertThat(Normalise.macAddress(" 00:1A-2b.3C4d5E ")).isEqualTo("00:1a:2b:3c:4d:5e");
		assertThatThrownBy(() -> Normalise.macAddress("00:1a:2b:3c:4d:5e:6f")).hasMessageStartingWith("mac_address:");
		assertThatThrownBy(() -> Normalise.macAddress("00:1a:2b:3c:4d:5g")).hasMessageStartingWith("mac_address:");
	}

	@Test
	void whatIsNoAddressIsRefusedWithoutLookingItUpOrRepeatingIt() {
		for (String notAnAddress : new String[] { "256.1.1.1", "example.org", "1.2.3", "localhost", "fe80::1%eth0", "" }) {
			assertThatThrownBy(() -> Normalise.ipAddress(notAnAddress)).as(notAnAddress)
				.isInstanceOf(InvalidEventException.class)
				.hasMessage("ip_address: is not an IPv4 or IPv6 address");
		}
		assertThatThrownBy(() -> Normalise.macAddress("00:1a:2b:3c:4d")).hasMessageStartingWith("mac_address:");
		assertThatThrownBy(() -> Normalise.macAddress("00:1a:2b:3c:4d:zz")).hasMessageStartingWith("mac_address:");
	}
}
