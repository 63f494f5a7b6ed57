package io.custodia.policy;

import java.util.ArrayList;
import java.util.List;

/** Collects findings for one file, placing each at the line and column of the element it names. */
final class Reporter {

	private final String file;

	private final SourceMap sourceMap;

	private final List<Finding> findings = new ArrayList<>();

	Reporter(String file, SourceMap sourceMap) {
		this.file = file;
		this.sourceMap = sourceMap;
	}

	void error(String pointer, String message, String hint) {
		add(sourceMap.valueAt(pointer), Finding.Severity.ERROR, message, hint);
	}

	void errorAtKey(String pointer, String message, String hint) {
		add(sourceMap.keyAt(pointer), Finding.Severity.ERROR, message, hint);
	}

	void warning(String pointer, String message, String hint) {
		add(sourceMap.valueAt(pointer), Finding.Severity.WARNING, message, hint);
	}

	void add(SourceMap.Position position, Finding.Severity severity, String message, String hint) {
		var finding = new Finding(file, position.line(), position.column(), severity, message, hint);
		if (!findings.contains(finding)) {
			findings.add(finding);
		}
	}

	boolean hasErrors() {
		return findings.stream().anyMatch(Finding::isError);
	}

	List<Finding> findings() {
		return findings.stream().sorted(Finding.IN_FILE_ORDER).toList();
	}
}
