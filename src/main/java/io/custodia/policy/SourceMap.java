package io.custodia.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each element of a policy file is written, by JSON pointer. Errors found on the parsed model are
 * reported at the line and column of the element they name, so that an editor can jump there.
 */
final class SourceMap {

	record Position(int line, int column) {
	}

	private final Map<String, Position> values = new HashMap<>();

	private final Map<String, Position> keys = new HashMap<>();

	void value(String pointer, Position position) {
		values.putIfAbsent(pointer, position);
	}

	void key(String pointer, Position position) {
		keys.putIfAbsent(pointer, position);
	}

	/** The position of the value at the pointer, or of the nearest enclosing element that is written. */
	Position valueAt(String pointer) {
		String current = pointer;
		while (true) {
			Position found = values.get(current);
			if (found != null) {
				return found;
			}
			if (current.isEmpty()) {
				return new Position(1, 1);
			}
			current = current.substring(0, current.lastIndexOf('/'));
		}
	}

	/** The position of the key naming the element at the pointer; its value's position for list items. */
	Position keyAt(String pointer) {
		Position key = keys.get(pointer);
		return key != null ? key : valueAt(pointer);
	}

	static String child(String pointer, String name) {
		return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
	}

	static String child(String pointer, int index) {
		return pointer + "/" + index;
	}
}
