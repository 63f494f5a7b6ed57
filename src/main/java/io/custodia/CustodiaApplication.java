package io.custodia;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.custodia.cli.Cli;

/** The service. Started by {@code custodia serve}; {@link #main} is the command line. */
@SpringBootApplication
public class CustodiaApplication {

	public static void main(String[] args) {
		Cli.main(args);
	}
}
