package io.custodia.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;

/** Commands that work on the stored data start the application without its web server. */
final class ServiceContext {

	private ServiceContext() {
	}

	static ConfigurableApplicationContext start(Path dataDir, List<String> springArguments) {
		var arguments = new ArrayList<String>();
		if (dataDir != null) {
			arguments.add("--custodia.data-dir=" + dataDir);
		}
		arguments.add("--logging.level.root=WARN");
		arguments.addAll(springArguments);
		return new SpringApplicationBuilder(CustodiaApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(arguments.toArray(String[]::new));
	}
}
