package io.custodia;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service, started by {@code custodia serve}. The jar's entry point is the command line,
 * {@link io.custodia.cli.Cli}, which starts this class only for {@code serve}.
 */
@SpringBootApplication
public class CustodiaApplication {
}
