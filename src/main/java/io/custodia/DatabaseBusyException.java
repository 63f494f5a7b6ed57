package io.custodia;

/**
 * A step that kept losing lock conflicts (another transaction held rows it needed past the database's lock
 * timeout, or it was chosen as a deadlock's victim) and was given up. Its transaction was rolled back: nothing of
 * the step is kept, and whatever committed before it stays. The message names the step and the kind of conflict,
 * never the database's own message, which can quote the rows it waited for.
 */
public class DatabaseBusyException extends RuntimeException {

	/** @param step what was given up, e.g. "the import batch from line 2001" */
	public DatabaseBusyException(String step, int attempts, Throwable lastConflict) {
		super("the database stayed busy: " + step + " met a lock conflict " + attempts + " times ("
				+ lastConflict.getClass().getSimpleName() + ") and was given up; nothing of it was kept");
	}
}
