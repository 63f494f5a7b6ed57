package io.custodia.requests;

import java.util.UUID;

/**
 * A section another module adds to a subject's access package (e.g. {@code consents} from the consent ledger):
 * a bean implementing this is asked for its content when a package is built. The content must be JSON-writable
 * (maps, lists, strings, numbers); the package's schema allows any section under {@code sections}.
 */
public interface AccessPackageSection {

	/** The section's key in the package, e.g. {@code consents}. */
	String name();

	/** What the module holds on the subject, for the subject's own eyes. */
	Object content(String tenantId, UUID subjectId);
}
