package io.custodia.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.custodia.vault.Operators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "operator", description = { "Issue, list and revoke operator keys: how the hosting provider's staff",
		"ask tenants for access to their files (a tenant approves every access)." },
		subcommands = { OperatorCommand.Add.class, OperatorCommand.ListOperators.class, OperatorCommand.Revoke.class })
class OperatorCommand {

	@Command(name = "add", description = "Issue an operator key (cso_..., shown this once).")
	static class Add implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--label", required = true, paramLabel = "TEXT", description = "who holds the key, e.g. a team or role")
		String label;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var key = context.getBean(Operators.class).issue(label);
				spec.commandLine().getOut().println("operator " + key.operatorId() + " (" + key.label() + ")");
				spec.commandLine().getOut().println("operator key (shown once, store it in your secret store): " + key.token());
			}
			return 0;
		}
	}

	@Command(name = "list", description = "List operators: id, label, whether revoked.")
	static class ListOperators implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				for (var operator : context.getBean(Operators.class).list()) {
					spec.commandLine().getOut().println(operator.operatorId() + "  " + (operator.revoked() ? "revoked" : "active ")
							+ "  " + operator.label());
				}
			}
			return 0;
		}
	}

	@Command(name = "revoke", description = "Revoke an operator key at once.")
	static class Revoke implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "ID", description = "operator id")
		String id;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				if (!context.getBean(Operators.class).revoke(id)) {
					spec.commandLine().getErr().println("custodia: no live operator '" + id + "'");
					return 1;
				}
				spec.commandLine().getOut().println("operator " + id + " revoked");
			}
			return 0;
		}
	}
}
