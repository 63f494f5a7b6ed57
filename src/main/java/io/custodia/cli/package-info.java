/**
 * The {@code custodia} command line (picocli). Policy commands run without the service; {@code serve} starts it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Command line")
package io.custodia.cli;
