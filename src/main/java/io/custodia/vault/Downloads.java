package io.custodia.vault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * Writes an opened file to the response, whole (200) or one byte range (206, RFC 9110 §14); an unsatisfiable range
 * is 416 with the file's size. Several ranges in one request, or a malformed Range header, are ignored and the
 * whole file is sent (which RFC 9110 allows). The first piece is decrypted before any header is sent, so a
 * damaged file usually fails as a problem+json answer; damage found later aborts the connection short of its
 * Content-Length, which every client sees as a failed download.
 */
final class Downloads {

	private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

	private Downloads() {
	}

	/** A byte range, both ends included. */
	record Span(long start, long end) {

		long length() {
			return end - start + 1;
		}

		String text() {
			return "bytes=" + start + "-" + end;
		}
	}

	/** The span asked for in the Range header; null for the whole file; throws for an unsatisfiable range. */
	static Span span(String range, String ifRange, String etag, long size) {
		if (range == null || (ifRange != null && !ifRange.equals(etag))) {
			return null;
		}
		Matcher matcher = SINGLE_RANGE.matcher(range.trim());
		if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
			return null;
		}
		String first = matcher.group(1);
		String last = matcher.group(2);
		if (first.isEmpty()) {
			long suffix = position(last);
			if (suffix == 0 || size == 0) {
				throw new RangeNotSatisfiable(size);
			}
			return new Span(Math.max(0, size - suffix), size - 1);
		}
		long start = position(first);
		long end = last.isEmpty() ? Long.MAX_VALUE : position(last);
		if (end < start) {
			return null;
		}
		if (start >= size) {
			throw new RangeNotSatisfiable(size);
		}
		return new Span(start, Math.min(end, size - 1));
	}

	static final class RangeNotSatisfiable extends RuntimeException {

		final long size;

		RangeNotSatisfiable(long size) {
			super("the range starts at or after the end of the file, which has " + size + " bytes");
			this.size = size;
		}
	}

	static String etag(VaultFile file) {
		// a file's content never changes under its id (moving keeps it, storing again makes a new id)
		return "\"" + file.id() + "\"";
	}

	static Span requested(HttpServletRequest request, VaultFile file) {
		return span(request.getHeader(HttpHeaders.RANGE), request.getHeader(HttpHeaders.IF_RANGE), etag(file), file.size());
	}

	static void write(Vault.Download download, Span span, HttpServletResponse response) throws IOException {
		VaultFile file = download.file();
		long start = span == null ? 0 : span.start();
		long length = span == null ? file.size() : span.length();
		ByteBuffer buffer = ByteBuffer.allocate(Vault.CHUNK);
		// decrypt (and so verify) the first piece before committing to an answer
		download.content().position(start);
		buffer.limit((int) Math.min(buffer.capacity(), length));
		readFully(download, buffer);
		buffer.flip();
		response.setStatus(span == null ? HttpServletResponse.SC_OK : HttpServletResponse.SC_PARTIAL_CONTENT);
		response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		response.setContentLengthLong(length);
		response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
		response.setHeader(HttpHeaders.ETAG, etag(file));
		response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				"attachment; filename*=UTF-8''" + UriUtils.encode(file.name(), StandardCharsets.UTF_8));
		if (span != null) {
			response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + span.start() + "-" + span.end() + "/" + file.size());
		}
		OutputStream out = response.getOutputStream();
		long left = length;
		while (true) {
			out.write(buffer.array(), buffer.position(), buffer.remaining());
			left -= buffer.remaining();
			if (left == 0) {
				break;
			}
			buffer.clear();
			buffer.limit((int) Math.min(buffer.capacity(), left));
			try {
				readFully(download, buffer);
			}
			catch (IntegrityException ex) {
				// the status line is out: all that is left is to cut the answer short of its length
				throw new IOException("download aborted: " + ex.getMessage(), ex);
			}
			buffer.flip();
		}
		out.flush();
	}

	private static void readFully(Vault.Download download, ByteBuffer buffer) {
		try {
			while (buffer.hasRemaining()) {
				if (download.content().read(buffer) < 0) {
					throw new IntegrityException("the content of this file ends before its recorded size", null);
				}
			}
		}
		catch (IOException ex) {
			throw new IntegrityException("the content of this file failed its integrity check: it was changed or damaged", ex);
		}
	}

	/**
	 * A byte position of a Range header; up to 19 digits may exceed a long, and a position past any file is read as
	 * the largest there is (a start past the end is unsatisfiable, an end or suffix past it means to the end), as
	 * RFC 9110 has it, instead of failing on the number.
	 */
	private static long position(String digits) {
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException tooLarge) {
			return Long.MAX_VALUE;
		}
	}
}
