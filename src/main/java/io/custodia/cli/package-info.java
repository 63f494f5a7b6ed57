/**
 * The {@code custodia} command line (picocli). Policy commands run without the service; {@code serve} starts it;
 * data commands (tenant, import, retention, audit, keys, request, outbox) start a context without the web server.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Command line")
package io.custodia.cli;
