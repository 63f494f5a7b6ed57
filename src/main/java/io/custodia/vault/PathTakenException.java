package io.custodia.vault;

/** Another file of the tenant already has the path. */
class PathTakenException extends RuntimeException {

	PathTakenException() {
		super("another file already has this path; delete or move it first");
	}
}
