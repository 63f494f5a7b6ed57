package io.custodia.keys;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.custodia.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootKeyUnitTests {

	@TempDir
	Path dir;

	@Test
	void aRootKeyInsideTheDataDirectoryIsRefused() {
		Path data = dir.resolve("data");
		assertThatThrownBy(() -> RootKey.load(new KeysProperties(data.resolve("root.json")), data, true))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("inside the data directory");
	}

	@Test
	void withAnExternalDatabaseAMissingRootKeyIsAnErrorNotAFreshKey() {
		Path root = dir.resolve("keys/root.json");
		assertThatThrownBy(() -> RootKey.load(new KeysProperties(root), dir.resolve("data"), false))
			.isInstanceOf(InvalidConfigurationException.class)
			.satisfies(ex -> assertThat(((InvalidConfigurationException) ex).fix()).contains("custodia keys generate-root"));
		assertThat(root).doesNotExist();
	}

	@Test
	void aProvisionedRootKeyIsLoadedAndNeverOverwritten() throws Exception {
		Path root = dir.resolve("keys/root.json");
		RootKeys.generate(root);
		String before = Files.readString(root);
		RootKey loaded = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		assertThat(loaded.size()).isEqualTo(1);
		assertThatThrownBy(() -> RootKeys.generate(root)).hasMessageContaining("never overwritten");
		assertThat(Files.readString(root)).isEqualTo(before);
	}

	@Test
	void aRootKeyRotatedByAnotherProcessIsUsedHereOnceReloaded() throws Exception {
		Path root = dir.resolve("keys/root.json");
		RootKeys.generate(root);
		RootKey here = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		RootKey elsewhere = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		elsewhere.rotate();
		byte[] wrapped = elsewhere.aead().encrypt("a tenant keyset".getBytes(), new byte[0]);

		here.reload();

		assertThat(here.size()).isEqualTo(2);
		assertThat(here.primaryKeyId()).isEqualTo(elsewhere.primaryKeyId());
		assertThat(here.aead().decrypt(wrapped, new byte[0])).isEqualTo("a tenant keyset".getBytes());
	}

	@Test
	void aRotationHereKeepsTheKeyAnotherProcessAddedToTheFile() throws Exception {
		Path root = dir.resolve("keys/root.json");
		RootKeys.generate(root);
		RootKey here = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		RootKey elsewhere = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		elsewhere.rotate();
		byte[] wrapped = elsewhere.aead().encrypt("a tenant keyset".getBytes(), new byte[0]);

		here.rotate();

		RootKey restarted = RootKey.load(new KeysProperties(root), dir.resolve("data"), false);
		assertThat(restarted.size()).isEqualTo(3);
		assertThat(restarted.aead().decrypt(wrapped, new byte[0])).isEqualTo("a tenant keyset".getBytes());
		assertThat(root.resolveSibling("root.json.tmp")).doesNotExist();
	}

	@Test
	void aDamagedRootKeyFileIsReportedAsSuch() throws Exception {
		Path root = dir.resolve("root.json");
		Files.writeString(root, "{not a keyset");
		assertThatThrownBy(() -> RootKey.load(new KeysProperties(root), dir.resolve("data"), true))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("is not a Tink keyset");
	}
}
