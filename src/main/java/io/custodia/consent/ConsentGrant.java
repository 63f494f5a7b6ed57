package io.custodia.consent;

import java.util.List;
import java.util.UUID;

/**
 * A consent to record: for a subject of the store or an anonymous visitor id (exactly one), to purposes (the
 * policy's activities whose legal basis is consent) and/or cookie categories (those the policy's cookies use,
 * necessary ones excepted), given through a method by an explicit act.
 *
 * @param language the language of the notice shown; the policy's first language when null
 * @param action what the person did, e.g. "clicked accept"; sealed, never shown in a log
 * @param userAgentClass e.g. "desktop browser"; derived from the User-Agent header over HTTP. Never an address.
 * @param gpc whether the request carried {@code Sec-GPC: 1}
 */
public record ConsentGrant(UUID subjectId, String visitorId, List<String> purposes, List<String> cookieCategories,
		String method, String language, String givenBy, String action, String userAgentClass, boolean gpc) {

	public ConsentGrant {
		purposes = purposes == null ? List.of() : List.copyOf(purposes);
		cookieCategories = cookieCategories == null ? List.of() : List.copyOf(cookieCategories);
	}
}
