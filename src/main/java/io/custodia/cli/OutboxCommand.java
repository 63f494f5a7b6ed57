package io.custodia.cli;

import java.util.concurrent.Callable;

import io.custodia.outbox.Outbox;
import io.custodia.outbox.Webhooks;
import io.custodia.tenancy.TenantManagement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "outbox", description = "E-mails and webhooks waiting to go out; webhook endpoints.",
		subcommands = { OutboxCommand.Deliver.class, OutboxCommand.Webhook.class })
class OutboxCommand {

	@Command(name = "deliver", description = "Deliver every due message now (the service does this every 15 s).")
	static class Deliver implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", paramLabel = "ID", description = "only this tenant's messages")
		String tenant;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var out = spec.commandLine().getOut();
				var outbox = context.getBean(Outbox.class);
				int delivered = outbox.deliverDue(tenant, id -> {
					out.println("delivered " + id);
					out.flush();
				});
				int waiting = tenant == null ? -1 : outbox.pending(tenant).size();
				out.println(delivered + " delivered" + (waiting < 0 ? "" : ", " + waiting + " waiting or dead"));
			}
			return 0;
		}
	}

	@Command(name = "webhook", description = { "Set the webhook endpoint of a recipient the tenant's policy names.",
			"The first endpoint of a tenant creates its signing key, shown this once." })
	static class Webhook implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "ID")
		String tenant;

		@Option(names = "--recipient", required = true, paramLabel = "RECIPIENT")
		String recipient;

		@Option(names = "--url", required = true, paramLabel = "URL")
		String url;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var recipients = context.getBean(TenantManagement.class).inEffect(tenant).map(p -> p.policy().recipients().keySet());
				if (recipients.isEmpty() || !recipients.get().contains(recipient)) {
					spec.commandLine().getErr().println("custodia: the policy of tenant '" + tenant + "' names no recipient '"
							+ recipient + "'" + recipients.map(r -> " (recipients: " + String.join(", ", r) + ")").orElse(""));
					return 1;
				}
				try {
					var secret = context.getBean(Webhooks.class).configure(tenant, recipient, url, "cli");
					spec.commandLine().getOut().println("webhook of " + recipient + " set to " + url);
					secret.ifPresent(s -> spec.commandLine().getOut().println("signing secret (shown once): " + s));
				}
				catch (IllegalArgumentException ex) {
					spec.commandLine().getErr().println("custodia: " + ex.getMessage());
					return 1;
				}
			}
			return 0;
		}
	}
}
