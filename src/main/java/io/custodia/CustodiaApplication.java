package io.custodia;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service, started by {@code custodia serve}. The jar's entry point is the command line,
 * {@link io.custodia.cli.Cli}, which starts this class only for {@code serve}.
 */
// API keys are the only credentials; Boot's generated user (and the password it logs) must not exist
@SpringBootApplication(excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
public class CustodiaApplication {
}
