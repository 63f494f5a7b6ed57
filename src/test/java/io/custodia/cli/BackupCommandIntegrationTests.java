package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup, termination, certificate and erasure commands as an operator runs them on the embedded database, one
 * after the other on one data directory: a tenant terminated after a backup is terminated again by its restore.
 */
class BackupCommandIntegrationTests {

	@TempDir
	Path dir;

	record Run(int code, String out, String err) {
	}

	Run custodia(String... args) {
		var all = new ArrayList<>(Arrays.asList(args));
		if (!args[0].equals("certificate") || !args[1].equals("verify")) {
			all.addAll(List.of("--data-dir", dir.resolve("data").toString(),
					"--custodia.keys.root=" + dir.resolve("keys").resolve("root-keyset.json")));
		}
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void aTenantTerminatedAfterABackupIsTerminatedAgainByItsRestoreAndItsCertificateVerifiesOffline() throws Exception {
		assertThat(custodia("tenant", "create", "acme", "--policy", "examples/policies/imengine.yaml").code()).isZero();
		var created = custodia("backup", "create");
		assertThat(created.code()).as(created.err()).isZero();
		var matcher = Pattern.compile("backup (\\S+) written").matcher(created.out());
		assertThat(matcher.find()).as(created.out()).isTrue();
		String id = matcher.group(1);
		assertThat(dir.resolve("backups").resolve(id + ".backup")).exists();

		Path certificate = dir.resolve("acme-certificate.json");
		var terminated = custodia("tenant", "terminate", "acme", "--yes", "--certificate", certificate.toString());
		assertThat(terminated.code()).as(terminated.err()).isZero();
		var key = custodia("certificate", "public-key");
		assertThat(key.code()).isZero();
		Path publicKey = dir.resolve("public-keyset.json");
		Files.writeString(publicKey, key.out(), StandardCharsets.UTF_8);

		var verified = custodia("certificate", "verify", certificate.toString(), "--public-key", publicKey.toString());
		assertThat(verified.code()).as(verified.err()).isZero();
		assertThat(verified.out()).contains("signature valid; tenant acme terminated at");

		var restored = custodia("backup", "restore", id);
		assertThat(restored.code()).as(restored.err()).isZero();
		assertThat(restored.out()).contains("backup " + id + " restored").contains("1 entries, 1 applied again");
		var again = custodia("tenant", "terminate", "acme", "--yes");
		assertThat(again.code()).isEqualTo(1);
		assertThat(again.err()).contains("terminated already");
		var replay = custodia("erasures", "replay");
		assertThat(replay.code()).as(replay.err()).isZero();
		assertThat(replay.out()).contains("1 entries, 0 applied again, 1 already in effect");

		Files.writeString(certificate, Files.readString(certificate).replace("acme", "acne"));
		assertThat(custodia("certificate", "verify", certificate.toString(), "--public-key", publicKey.toString()).code())
			.isEqualTo(1);
	}
}
