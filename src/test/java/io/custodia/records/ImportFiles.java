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

	/**
	 * The two parts as one file; {@code between} runs when the import first reads past the first part. The import
	 * reads a batch ahead: with a first part of two whole batches, that is while it reads the third batch, after the
	 * first batch has committed (and planned the second) and before the second is written.
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
