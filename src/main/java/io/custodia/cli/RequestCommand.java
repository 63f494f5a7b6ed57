package io.custodia.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.custodia.requests.DataRequest;
import io.custodia.requests.RequestManagement;
import io.custodia.requests.RequestNotFoundException;
import io.custodia.requests.RequestProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "request", description = "Data-subject requests: log, list, verify, extend, refuse, fulfil.",
		subcommands = { RequestCommand.Submit.class, RequestCommand.ListRequests.class, RequestCommand.Show.class,
				RequestCommand.Verify.class, RequestCommand.Extend.class, RequestCommand.Refuse.class,
				RequestCommand.Fulfil.class })
class RequestCommand {

	static final String ACTOR = "cli";

	/** Options every request command has. */
	abstract static class Base implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "ID")
		String tenant;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				return run(context.getBean(RequestManagement.class));
			}
			catch (RequestProblem ex) {
				spec.commandLine().getErr().println("custodia: " + ex.field() + ": " + ex.getMessage()
						+ (ex.allowed().isEmpty() ? "" : " (allowed: " + String.join(", ", ex.allowed()) + ")"));
				return 1;
			}
			catch (RequestNotFoundException ex) {
				spec.commandLine().getErr().println("custodia: no such request in tenant " + tenant);
				return 1;
			}
		}

		abstract int run(RequestManagement requests);

		void print(DataRequest request) {
			spec.commandLine().getOut().printf("%s  %-18s %-11s due %s%s%n", request.id(), request.type(), request.state(),
					request.dueOn(), request.subjectId() == null ? "" : "  subject " + request.subjectId());
			spec.commandLine().getOut().flush();
		}
	}

	@Command(name = "submit", description = { "Log a request received by e-mail, letter or phone.",
			"With --email a one-time code is sent there; without, verify it with 'request verify'." })
	static class Submit extends Base {

		@Option(names = "--type", required = true, paramLabel = "TYPE",
				description = "access, portability, rectification, erasure, restriction, objection or consent_withdrawal")
		String type;

		@Option(names = "--email", paramLabel = "ADDRESS")
		String email;

		@Option(names = "--channel", defaultValue = "letter", paramLabel = "CHANNEL",
				description = "web, email, letter, phone, in_person or app (default letter)")
		String channel;

		@Option(names = "--details", paramLabel = "TEXT", description = "what the person wrote (stored encrypted)")
		String details;

		@Override
		int run(RequestManagement requests) {
			var request = requests.submit(tenant, new RequestManagement.Intake(type.toLowerCase(Locale.ROOT), email, details, channel),
					ACTOR);
			spec.commandLine().getOut().print("received ");
			print(request);
			return 0;
		}
	}

	@Command(name = "list", description = "Requests: open (default), overdue, due_soon or all.")
	static class ListRequests extends Base {

		@Option(names = "--view", defaultValue = "open", paramLabel = "VIEW")
		String view;

		@Option(names = "--days", defaultValue = "7", paramLabel = "N", description = "for due_soon: within N days")
		int days;

		@Option(names = "--json")
		boolean json;

		@Override
		int run(RequestManagement requests) {
			var which = Options.choice(spec, "--view", view.toUpperCase(Locale.ROOT), RequestManagement.View.class);
			var all = requests.list(tenant, which, days);
			if (json) {
				spec.commandLine().getOut().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(all));
			}
			else {
				all.forEach(this::print);
				spec.commandLine().getOut().println(all.size() + " requests (" + view + ")");
			}
			return 0;
		}
	}

	@Command(name = "show", description = "One request as JSON, with its answer once closed.")
	static class Show extends Base {

		@Parameters(paramLabel = "REQUEST")
		UUID id;

		@Override
		int run(RequestManagement requests) {
			spec.commandLine().getOut().println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
				.writeValueAsString(requests.find(tenant, id)));
			return 0;
		}
	}

	@Command(name = "verify", description = "Record a verification other than the e-mailed code, with a reason.")
	static class Verify extends Base {

		@Parameters(paramLabel = "REQUEST")
		UUID id;

		@Option(names = "--subject", paramLabel = "SUBJECT", description = "the subject the requester was found to be")
		UUID subject;

		@Option(names = "--method", required = true, paramLabel = "METHOD", description = "e.g. id-document, known-phone")
		String method;

		@Option(names = "--reason", required = true, paramLabel = "TEXT")
		String reason;

		@Override
		int run(RequestManagement requests) {
			print(requests.verifyManually(tenant, id, subject, method, reason, ACTOR));
			return 0;
		}
	}

	@Command(name = "extend", description = "Extend the deadline by 1 or 2 months, with a reason, within the first month.")
	static class Extend extends Base {

		@Parameters(paramLabel = "REQUEST")
		UUID id;

		@Option(names = "--months", required = true, paramLabel = "N")
		int months;

		@Option(names = "--reason", required = true, paramLabel = "TEXT")
		String reason;

		@Override
		int run(RequestManagement requests) {
			print(requests.extend(tenant, id, months, reason, ACTOR));
			return 0;
		}
	}

	@Command(name = "refuse", description = "Refuse, with a reason; the answer names the supervisory authority.")
	static class Refuse extends Base {

		@Parameters(paramLabel = "REQUEST")
		UUID id;

		@Option(names = "--reason", required = true, paramLabel = "TEXT")
		String reason;

		@Override
		int run(RequestManagement requests) {
			print(requests.refuse(tenant, id, reason, ACTOR));
			return 0;
		}
	}

	@Command(name = "fulfil", description = "Do what a verified request asks and complete it.")
	static class Fulfil extends Base {

		@Parameters(paramLabel = "REQUEST")
		UUID id;

		@Option(names = "--activity", paramLabel = "ACTIVITY", description = "objection: the activities objected to (default all)")
		List<String> activities = new ArrayList<>();

		@Option(names = "--purpose", paramLabel = "PURPOSE", description = "consent withdrawal: the purposes (default all)")
		List<String> purposes = new ArrayList<>();

		@Override
		int run(RequestManagement requests) {
			var done = requests.fulfil(tenant, id, new RequestManagement.Fulfilment(null, activities, purposes), ACTOR);
			print(done);
			spec.commandLine().getOut().println(JsonMapper.shared().writeValueAsString(done.answer()));
			return 0;
		}
	}
}
