package io.custodia.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps PostgreSQL's planner statistics up with a bulk import, which looks identifiers up by their key and client
 * record ids by tenant and id, and writes subjects, identifiers and records faster than autovacuum analyses them.
 * Before V60 keyed identifiers by `lookup`, statistics taken while the tables were small made PostgreSQL expect a
 * single row for a tenant and kind, so it scanned the index by those two columns and filtered the blind indexes:
 * every look-up read every identifier of the kind, and a 100,000-line import into new tables ran at 420 lines a
 * second (docs/benchmarks.md, session 5). H2 plans these look-ups by the whole key whatever its statistics say, so
 * it is left alone.
 */
@Component
class PlannerStatistics {

	private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

	/** Lines stored by a run before its first analysis; then each time the run has doubled them. */
	static final long FIRST = 10_000;

	private final JdbcClient jdbc;

	private final Durability database;

	PlannerStatistics(JdbcClient jdbc, Durability database) {
		this.jdbc = jdbc;
		this.database = database;
	}

	/** Analyses the tables an import writes and looks up (PostgreSQL; on H2 nothing). */
	void refresh() {
		if (database.embedded()) {
			return;
		}
		try {
			jdbc.sql("analyze subject, subject_identifier, personal_record").update();
		}
		catch (DataAccessException ex) {
			// only the tables' owner may analyse them; the import goes on, slower as the tables grow
			log.warn("Could not refresh the planner statistics during an import ({}). Let the service's database user own "
					+ "its tables, or run ANALYZE on subject, subject_identifier and personal_record after large imports.",
					ex.getMostSpecificCause().getMessage());
		}
	}
}
