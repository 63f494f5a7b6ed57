package io.custodia.vault;

/** No such file, folder or grant in the caller's tenant; the same answer whether it exists elsewhere or not at all. */
class VaultNotFoundException extends RuntimeException {

	VaultNotFoundException(String what) {
		super(what + " not found");
	}
}
