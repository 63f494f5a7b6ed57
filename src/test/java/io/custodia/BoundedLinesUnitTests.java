package io.custodia;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLinesUnitTests {

	private static List<Object> lines(String text, int limit) throws IOException {
		var result = new ArrayList<Object>();
		try (var lines = new BoundedLines(new StringReader(text), limit)) {
			Object line;
			while ((line = lines.next()) != null) {
				result.add(line);
			}
		}
		return result;
	}

	@Test
	void linesEndAtEachKindOfLineBreakAsBufferedReaderEndsThem() throws IOException {
		assertThat(lines("a\nb\r\nc\rd", 10)).containsExactly("a", "b", "c", "d");
		assertThat(lines("a\n\nb\n", 10)).containsExactly("a", "", "b");
		assertThat(lines("", 10)).isEmpty();
		assertThat(lines("\r\n", 10)).containsExactly("");
	}

	@Test
	void aLineAcrossManyBuffersIsWholeUpToTheLimitAndReportedPastIt() throws IOException {
		String exact = "y".repeat(200_000);
		assertThat(lines(exact + "\n" + "z", 200_000)).containsExactly(exact, "z");
		assertThat(lines(exact + "y\r\nz\n", 200_000)).containsExactly(new BoundedLines.TooLong(200_001), "z");
		// a carriage return at the very end of a buffer, its line feed at the start of the next
		String split = "w".repeat((1 << 16) - 1) + "\r\nv";
		assertThat(lines(split, 1 << 20)).containsExactly("w".repeat((1 << 16) - 1), "v");
	}
}
