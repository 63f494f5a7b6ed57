package io.custodia;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of an import file, each kept only up to a length: a longer line is read to its end and reported as too
 * long instead of being held. {@link java.io.BufferedReader#readLine()} holds any line whole, so one file without
 * line breaks (or one huge line) sent to an import would fill the heap. Lines end at {@code \n}, {@code \r\n} or
 * {@code \r}, as there.
 */
public final class BoundedLines implements Closeable {

	/** A line past the limit: its number of characters, which were read and dropped. */
	public record TooLong(long length) {
	}

	private final Reader reader;

	private final int limit;

	private final char[] buffer = new char[1 << 16];

	private int position;

	private int end;

	private boolean skipLineFeed;

	public BoundedLines(Reader reader, int limit) {
		this.reader = reader;
		this.limit = limit;
	}

	/** The next line as a {@link String}, a {@link TooLong} for one past the limit, or null at the end of the file. */
	public Object next() throws IOException {
		StringBuilder line = null;
		long length = 0;
		boolean any = false;
		while (true) {
			if (position == end) {
				end = reader.read(buffer, 0, buffer.length);
				position = 0;
				if (end <= 0) {
					end = 0;
					return any ? result(line, length) : null;
				}
			}
			if (skipLineFeed) {
				skipLineFeed = false;
				if (buffer[position] == '\n') {
					position++;
					continue;
				}
			}
			any = true;
			int start = position;
			while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
				position++;
			}
			int taken = position - start;
			if (length + taken <= limit) {
				if (line == null) {
					line = new StringBuilder(Math.min(limit, Math.max(taken, 128)));
				}
				line.append(buffer, start, taken);
			}
			else {
				line = null;
			}
			length += taken;
			if (position < end) {
				skipLineFeed = buffer[position] == '\r';
				position++;
				return result(line, length);
			}
		}
	}

	private Object result(StringBuilder line, long length) {
		if (length > limit) {
			return new TooLong(length);
		}
		return line == null ? "" : line.toString();
	}

	@Override
	public void close() throws IOException {
		reader.close();
	}
}
