package io.custodia.records;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/** Import files for tests: lines of the example policy's recruitment activity, and files with a pause in them. */
final class ImportFiles {

	private ImportFiles() {
	}

	static String line(String clientId, String email, String name) {
		return "{\"client_record_id\": \"%s\", \"identifiers\": {\"email\": \"%s\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"%s\"}}\n"
			.formatted(clientId, email, name);
	}

	/** Whole batches of lines of other people, so that the second batch is followed by those the import reads ahead. */
	static String readAheadFillers(int batchLines) {
		var lines = new StringBuilder();
		for (int i = 0; i < (BulkImport.CHECKED_AHEAD - 1) * batchLines; i++) {
			lines.append(line("g-" + i, "ahead" + i + "@example.test", "Ahead " + i));
		}
		return lines.toString();
	}

	/**
	 * The two parts as one file; {@code between} runs when the import first reads past the first part. The import
	 * reads {@link BulkImport#CHECKED_AHEAD} batches ahead of the one it writes: with a first part of one whole batch
	 * more than that, the pause is while it reads the batch after them, once the first batch has committed (and
	 * planned the second) and before the second is written. {@link #readAheadFillers} makes the batches past the
	 * second.
	 */
	static Reader withPause(String first, String second, Runnable between) {
		return new Reader() {
			private Reader part = new StringReader(first);
			private boolean switched;

			@Override
			public int read(char[] buffer, int offset, int length) throws IOException {
				int n = part.read(buffer, offset, length);
				if (n == -1 && !switched) {
					switched = true;
					between.run();
					part = new StringReader(second);
					n = part.read(buffer, offset, length);
				}
				return n;
			}

			@Override
			public void close() {
			}
		};
	}
}
