package io.custodia.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A portable export of every table, the same on H2 and PostgreSQL: for each table a header line (its columns and
 * how each value is written) and one JSON array per row. Restoring deletes every row and inserts the exported ones
 * in foreign-key order, in one transaction, into a database at the same schema version (Flyway's history and
 * ShedLock's locks are not part of it).
 */
final class DatabaseExport {

	private static final Set<String> NOT_EXPORTED = Set.of("flyway_schema_history", "shedlock");

	private DatabaseExport() {
	}

	/** A table with its columns and the kind each is written as. */
	record Table(String name, List<String> columns, List<String> kinds) {
	}

	/** The tables of the current schema, each after the tables its foreign keys point at. */
	static List<Table> tables(Connection connection) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		String schema = connection.getSchema();
		var names = new ArrayList<String>();
		try (ResultSet rs = meta.getTables(null, schema, "%", new String[] { "TABLE" })) {
			while (rs.next()) {
				String name = rs.getString("TABLE_NAME");
				if (!NOT_EXPORTED.contains(name.toLowerCase(Locale.ROOT))) {
					names.add(name);
				}
			}
		}
		names.sort(String::compareToIgnoreCase);
		var dependencies = new LinkedHashMap<String, Set<String>>();
		for (String name : names) {
			var targets = new LinkedHashSet<String>();
			try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
				while (rs.next()) {
					String target = rs.getString("PKTABLE_NAME");
					if (!target.equals(name) && names.contains(target)) {
						targets.add(target);
					}
				}
			}
			dependencies.put(name, targets);
		}
		var ordered = new ArrayList<String>();
		while (ordered.size() < names.size()) {
			boolean progress = false;
			for (String name : names) {
				if (!ordered.contains(name) && ordered.containsAll(dependencies.get(name))) {
					ordered.add(name);
					progress = true;
				}
			}
			if (!progress) {
				throw new IllegalStateException("the tables' foreign keys form a cycle; they cannot be restored in order");
			}
		}
		var tables = new ArrayList<Table>();
		for (String name : ordered) {
			var columns = new ArrayList<String>();
			var kinds = new ArrayList<String>();
			try (ResultSet rs = meta.getColumns(null, schema, name, "%")) {
				while (rs.next()) {
					columns.add(rs.getString("COLUMN_NAME"));
					kinds.add(kind(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
				}
			}
			tables.add(new Table(name, columns, kinds));
		}
		return tables;
	}

	/** The schema version Flyway last applied, or "none". */
	static String schemaVersion(Connection connection) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		try (ResultSet rs = meta.getTables(null, connection.getSchema(), "%", new String[] { "TABLE" })) {
			while (rs.next()) {
				String name = rs.getString("TABLE_NAME");
				if (name.equalsIgnoreCase("flyway_schema_history")) {
					try (Statement statement = connection.createStatement();
							ResultSet version = statement.executeQuery("select \"version\" from " + quote(name)
									+ " where \"success\" = true and \"version\" is not null order by \"installed_rank\" desc")) {
						return version.next() ? version.getString(1) : "none";
					}
				}
			}
		}
		return "none";
	}

	/** Writes one table: the header line, then a line per row. Returns the number of rows. */
	static long export(Connection connection, Table table, Writer out) throws SQLException, IOException {
		var header = new LinkedHashMap<String, Object>();
		header.put("table", table.name());
		header.put("columns", table.columns());
		header.put("kinds", table.kinds());
		out.write(JsonMapper.shared().writeValueAsString(header));
		out.write('\n');
		long rows = 0;
		String sql = "select " + String.join(", ", table.columns().stream().map(DatabaseExport::quote).toList()) + " from "
				+ quote(table.name());
		try (Statement statement = connection.createStatement()) {
			statement.setFetchSize(1000);
			try (ResultSet rs = statement.executeQuery(sql)) {
				while (rs.next()) {
					ArrayNode row = JsonMapper.shared().createArrayNode();
					for (int i = 0; i < table.columns().size(); i++) {
						write(row, rs, i + 1, table.kinds().get(i));
					}
					out.write(JsonMapper.shared().writeValueAsString(row));
					out.write('\n');
					rows++;
				}
			}
		}
		return rows;
	}

	/** Deletes every row of the tables, dependants first. */
	static void deleteAll(Connection connection, List<Table> tables) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			for (int i = tables.size() - 1; i >= 0; i--) {
				statement.executeUpdate("delete from " + quote(tables.get(i).name()));
			}
		}
	}

	/**
	 * Reads a table written by {@link #export} and inserts its rows; the header must name a table of the database
	 * with the same columns. Returns the number of rows.
	 */
	static long restore(Connection connection, Map<String, Table> current, BufferedReader in, boolean postgres)
			throws SQLException, IOException {
		JsonNode header = JsonMapper.shared().readTree(in.readLine());
		String name = header.get("table").asString();
		Table table = current.get(name);
		var columns = new ArrayList<String>();
		header.get("columns").forEach(c -> columns.add(c.asString()));
		var kinds = new ArrayList<String>();
		header.get("kinds").forEach(k -> kinds.add(k.asString()));
		if (table == null || !table.columns().equals(columns)) {
			throw new IllegalStateException("table " + name + " of the backup does not match this database's schema");
		}
		var placeholders = new ArrayList<String>();
		for (String kind : kinds) {
			placeholders.add(kind.equals("json") ? (postgres ? "cast(? as jsonb)" : "? format json") : "?");
		}
		String sql = "insert into " + quote(name) + " (" + String.join(", ", columns.stream().map(DatabaseExport::quote).toList())
				+ ") values (" + String.join(", ", placeholders) + ")";
		long rows = 0;
		try (PreparedStatement insert = connection.prepareStatement(sql)) {
			String line;
			int batch = 0;
			while ((line = in.readLine()) != null && !line.isEmpty()) {
				JsonNode row = JsonMapper.shared().readTree(line);
				for (int i = 0; i < kinds.size(); i++) {
					insert.setObject(i + 1, read(row.get(i), kinds.get(i)));
				}
				insert.addBatch();
				rows++;
				if (++batch == 1000) {
					insert.executeBatch();
					batch = 0;
				}
			}
			if (batch > 0) {
				insert.executeBatch();
			}
		}
		return rows;
	}

	private static String kind(int type, String typeName) {
		String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
		if (name.equals("uuid")) {
			return "uuid";
		}
		if (name.equals("json") || name.equals("jsonb")) {
			return "json";
		}
		if (name.equals("timestamptz") || name.contains("with time zone") || type == Types.TIMESTAMP_WITH_TIMEZONE) {
			return "timestamptz";
		}
		return switch (type) {
			case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "bytes";
			case Types.TIMESTAMP -> "timestamp";
			case Types.DATE -> "date";
			case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> "long";
			case Types.NUMERIC, Types.DECIMAL -> "decimal";
			case Types.DOUBLE, Types.FLOAT, Types.REAL -> "double";
			case Types.BOOLEAN, Types.BIT -> "boolean";
			default -> "text";
		};
	}

	private static void write(ArrayNode row, ResultSet rs, int column, String kind) throws SQLException {
		switch (kind) {
			case "uuid" -> {
				Object value = rs.getObject(column);
				row.add(value == null ? null : value.toString());
			}
			case "bytes" -> {
				byte[] value = rs.getBytes(column);
				row.add(value == null ? null : Base64.getEncoder().encodeToString(value));
			}
			case "timestamptz" -> {
				OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
				row.add(value == null ? null : value.toString());
			}
			case "timestamp" -> {
				LocalDateTime value = rs.getObject(column, LocalDateTime.class);
				row.add(value == null ? null : value.toString());
			}
			case "date" -> {
				LocalDate value = rs.getObject(column, LocalDate.class);
				row.add(value == null ? null : value.toString());
			}
			case "long" -> {
				long value = rs.getLong(column);
				if (rs.wasNull()) {
					row.addNull();
				}
				else {
					row.add(value);
				}
			}
			case "decimal" -> {
				BigDecimal value = rs.getBigDecimal(column);
				row.add(value == null ? null : value.toPlainString());
			}
			case "double" -> {
				double value = rs.getDouble(column);
				if (rs.wasNull()) {
					row.addNull();
				}
				else {
					row.add(value);
				}
			}
			case "boolean" -> {
				boolean value = rs.getBoolean(column);
				if (rs.wasNull()) {
					row.addNull();
				}
				else {
					row.add(value);
				}
			}
			default -> row.add(rs.getString(column));
		}
	}

	private static Object read(JsonNode value, String kind) {
		if (value == null || value.isNull()) {
			return null;
		}
		return switch (kind) {
			case "uuid" -> UUID.fromString(value.asString());
			case "bytes" -> Base64.getDecoder().decode(value.asString());
			case "timestamptz" -> OffsetDateTime.parse(value.asString());
			case "timestamp" -> LocalDateTime.parse(value.asString());
			case "date" -> LocalDate.parse(value.asString());
			case "long" -> value.asLong();
			case "decimal" -> new BigDecimal(value.asString());
			case "double" -> value.asDouble();
			case "boolean" -> value.asBoolean();
			default -> value.asString();
		};
	}

	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	/** A writer over a stream that the caller closes (a zip entry). */
	static Writer writer(OutputStream out) {
		return new java.io.OutputStreamWriter(new java.io.FilterOutputStream(out) {
			@Override
			public void close() throws IOException {
				flush();
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				out.write(b, off, len);
			}
		}, StandardCharsets.UTF_8);
	}

	static UncheckedIOException unchecked(IOException ex) {
		return new UncheckedIOException(ex);
	}
}
