package io.custodia.records;

import java.util.List;
import java.util.stream.Collectors;

/** An outright erasure refused because legal holds cover some of the subject's records; nothing was erased. */
class SubjectHeldException extends RuntimeException {

	private final List<ErasureHolds.Hold> holds;

	SubjectHeldException(List<ErasureHolds.Hold> holds) {
		super("records of this subject are under legal hold "
				+ holds.stream().map(h -> h.reference() + " (review date " + h.reviewDate() + ")").collect(Collectors.joining(", "))
				+ "; nothing was erased. Release the hold once it ends, or file an erasure request, which erases the rest "
				+ "and keeps the held records restricted");
		this.holds = List.copyOf(holds);
	}

	List<ErasureHolds.Hold> holds() {
		return holds;
	}
}
