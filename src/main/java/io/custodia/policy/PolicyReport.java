package io.custodia.policy;

import java.util.List;
import java.util.Optional;

/**
 * What reading a policy file gave: the policy when it has no errors (or, from {@link Policies#parsePublished}, a
 * published version that checks added since it was published would refuse), and every finding, errors and
 * warnings, in the order they stand in the file.
 */
public record PolicyReport(String file, Optional<Policy> policy, List<Finding> findings) {

	public PolicyReport {
		findings = List.copyOf(findings);
	}

	public boolean isValid() {
		return policy.isPresent();
	}

	public List<Finding> errors() {
		return findings.stream().filter(Finding::isError).toList();
	}

	public List<Finding> warnings() {
		return findings.stream().filter(f -> !f.isError()).toList();
	}

	/** The policy, or an exception whose message lists every error. */
	public Policy orThrow() {
		return policy.orElseThrow(() -> new InvalidPolicyException(this));
	}
}
