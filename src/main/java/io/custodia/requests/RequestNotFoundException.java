package io.custodia.requests;

/** No such request in the caller's tenant (also for another tenant's request). */
public class RequestNotFoundException extends RuntimeException {

	public RequestNotFoundException() {
		super("request not found");
	}
}
