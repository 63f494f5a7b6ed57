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
