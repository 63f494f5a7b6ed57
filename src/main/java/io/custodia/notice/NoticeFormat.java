package io.custodia.notice;

/** How a notice or record is written out. */
public enum NoticeFormat {

	HTML("text/html"), MD("text/markdown");

	private final String mediaType;

	NoticeFormat(String mediaType) {
		this.mediaType = mediaType;
	}

	public String mediaType() {
		return mediaType;
	}
}
