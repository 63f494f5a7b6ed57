/**
 * What a policy publishes: the privacy notice in each language ({@link io.custodia.notice.Notices}) and the
 * record of processing activities ({@link io.custodia.notice.RecordOfProcessing}). Rendering needs no
 * running service, so the command line prints exactly what the service serves.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notices and records", allowedDependencies = "policy")
package io.custodia.notice;
