package io.custodia.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;


import io.custodia.InvalidConfigurationException;
import io.custodia.audit.AuditTrail;
import io.custodia.audit.AuditVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "audit", description = "Check the tamper-evident audit trail.", subcommands = AuditCommand.Verify.class)
class AuditCommand {

	static final int BROKEN = 1;

	@Command(name = "verify", description = {
			"Verify a tenant's audit chain: that no entry was edited, removed or reordered, and none cut from the end.",
			"Opens the database as the service does (--data-dir, or spring.datasource.* for PostgreSQL) without serving.",
			"Exit 0 when intact, 1 when broken (or when it cannot be checked), 2 on a usage error." })
	static class Verify implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "the tenant whose audit chain to verify")
		String tenant;

		@Option(names = "--json", description = "print the result as JSON")
		boolean json;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			AuditVerification verification;
			try (var context = service.start()) {
				verification = context.getBean(AuditTrail.class).verify(tenant);
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("cannot verify the audit of tenant '" + tenant + "': " + reason(ex), ex);
			}
			return report(verification, json, spec.commandLine().getOut());
		}
	}

	/**
	 * Prints the verification as one line or as JSON and returns the exit code: 0 intact, 1 broken. A notice (an
	 * unsealed head) is printed but is not a failure.
	 */
	static int report(AuditVerification verification, boolean json, PrintWriter out) {
		if (json) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("tenant", verification.tenantId());
			document.put("intact", verification.intact());
			document.put("entries_checked", verification.entriesChecked());
			document.put("first_broken_sequence", verification.firstBrokenSequence());
			document.put("problem", verification.problem() == null ? null : verification.problem().name());
			document.put("explanation", verification.explanation());
			document.put("notice", verification.notice());
			out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(document));
		}
		else if (verification.intact()) {
			long entries = verification.entriesChecked();
			out.println("tenant " + verification.tenantId() + ": audit intact, " + entries + (entries == 1 ? " entry" : " entries")
					+ (verification.notice() == null ? "" : "; note: " + verification.notice()));
		}
		else {
			out.println("tenant " + verification.tenantId() + ": audit BROKEN at entry " + verification.firstBrokenSequence() + ": "
					+ verification.problem() + " — " + verification.explanation());
		}
		out.flush();
		return verification.intact() ? 0 : BROKEN;
	}

	/** The cause a user can act on: a bad setting with its fix, else the innermost message. */
	private static String reason(Throwable failure) {
		Throwable innermost = failure;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationException invalid) {
				return invalid.getMessage() + ". " + invalid.fix();
			}
			if (cause instanceof io.custodia.keys.KeyFailure keys) {
				return keys.getMessage() + " (is custodia.keys.root the root key this data was written with?)";
			}
			if (cause.getMessage() != null) {
				innermost = cause;
			}
		}
		return innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
	}
}
