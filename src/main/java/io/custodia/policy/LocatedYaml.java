package io.custodia.policy;

import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads YAML into a JSON tree while remembering where every key and value is written. Jackson's tree model
 * forgets positions, so the tree is built here from the token stream.
 */
final class LocatedYaml {

	private static final YAMLFactory YAML = YAMLFactory.builder().build();

	record Document(JsonNode root, SourceMap sourceMap, List<Problem> problems) {
	}

	/** A problem found while reading, before any schema applies: syntax, duplicate keys. */
	record Problem(SourceMap.Position position, String message, String hint) {
	}

	private final SourceMap sourceMap = new SourceMap();

	private final List<Problem> problems = new ArrayList<>();

	private final JsonNodeFactory nodes = JsonNodeFactory.instance;

	static Document read(String text) {
		var reader = new LocatedYaml();
		JsonNode root = null;
		try (JsonParser parser = YAML.createParser(tools.jackson.core.ObjectReadContext.empty(), text)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				reader.problems.add(new Problem(new SourceMap.Position(1, 1), "the file is empty",
						"start from an example in examples/policies/ or the reference in docs/policy-format.md"));
			}
			else {
				root = reader.readValue(parser, "");
			}
		}
		catch (JacksonException ex) {
			reader.problems.add(syntaxProblem(ex));
			root = null;
		}
		return new Document(root, reader.sourceMap, reader.problems);
	}

	private JsonNode readValue(JsonParser parser, String pointer) {
		sourceMap.value(pointer, position(parser.currentTokenLocation()));
		JsonToken token = parser.currentToken();
		return switch (token) {
			case START_OBJECT -> readObject(parser, pointer);
			case START_ARRAY -> readArray(parser, pointer);
			case VALUE_STRING -> nodes.stringNode(parser.getString());
			case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
			case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
			case VALUE_TRUE -> nodes.booleanNode(true);
			case VALUE_FALSE -> nodes.booleanNode(false);
			case VALUE_NULL -> nodes.nullNode();
			default -> nodes.stringNode(parser.getString());
		};
	}

	private ObjectNode readObject(JsonParser parser, String pointer) {
		ObjectNode object = nodes.objectNode();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			String child = SourceMap.child(pointer, name);
			var keyPosition = position(parser.currentTokenLocation());
			parser.nextToken();
			if (object.has(name)) {
				problems.add(new Problem(keyPosition, "'" + name + "' is written twice here",
						"keep one; the second would silently replace the first"));
				readValue(parser, child + "#duplicate");
				continue;
			}
			sourceMap.key(child, keyPosition);
			object.set(name, readValue(parser, child));
		}
		return object;
	}

	private ArrayNode readArray(JsonParser parser, String pointer) {
		ArrayNode array = nodes.arrayNode();
		int index = 0;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			array.add(readValue(parser, SourceMap.child(pointer, index++)));
		}
		return array;
	}

	private static SourceMap.Position position(TokenStreamLocation location) {
		return new SourceMap.Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
	}

	/**
	 * The YAML parser knows where it gave up and why ("found character '\t' that cannot start any token"); its
	 * context ("while scanning a quoted scalar") is where the construct began, which goes into the hint.
	 */
	private static Problem syntaxProblem(JacksonException ex) {
		Throwable cause = ex;
		while (cause != null && !(cause instanceof MarkedYamlEngineException)) {
			cause = cause.getCause();
		}
		if (cause instanceof MarkedYamlEngineException yaml && yaml.getProblemMark().isPresent()) {
			Mark mark = yaml.getProblemMark().get();
			String problem = yaml.getProblem() == null ? "unreadable" : yaml.getProblem().strip();
			String hint = hintFor(problem);
			if (yaml.getContext() != null && yaml.getContextMark().isPresent()) {
				Mark context = yaml.getContextMark().get();
				hint = hint + " (" + yaml.getContext().strip() + " that starts at " + (context.getLine() + 1) + ":"
						+ (context.getColumn() + 1) + ")";
			}
			return new Problem(new SourceMap.Position(mark.getLine() + 1, mark.getColumn() + 1),
					"not valid YAML: " + firstLine(problem), hint);
		}
		TokenStreamLocation location = ex.getLocation();
		var position = location == null ? new SourceMap.Position(1, 1)
				: new SourceMap.Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
		return new Problem(position, "not valid YAML: " + firstLine(ex.getOriginalMessage()),
				"check the indentation and quoting around this place");
	}

	private static String hintFor(String problem) {
		if (problem.contains("\\t") || problem.contains("TAB")) {
			return "indent with spaces, never tabs";
		}
		if (problem.contains("mapping values are not allowed")) {
			return "a text containing ': ' must be quoted";
		}
		if (problem.contains("end of stream") || problem.contains("expected ','")) {
			return "close the quote, list or map that is still open";
		}
		return "check the indentation and quoting around this place";
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "unreadable";
		}
		int newline = message.indexOf('\n');
		return newline < 0 ? message : message.substring(0, newline);
	}
}
