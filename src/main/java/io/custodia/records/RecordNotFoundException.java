package io.custodia.records;

/** No such subject or record in the caller's tenant; the same answer whether it exists elsewhere or not at all. */
public class RecordNotFoundException extends RuntimeException {

	public RecordNotFoundException(String what) {
		super(what + " not found");
	}
}
