package io.custodia.activity;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.activity.EventSegment.Event;
import io.custodia.activity.PeriodKeys.Kind;
import io.custodia.activity.PeriodKeys.PeriodClosedException;
import io.custodia.activity.PeriodKeys.PeriodKey;
import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.policy.Policy;
import io.custodia.records.Durability;
import io.custodia.records.RecordManagement;
import io.custodia.retention.HoldScope;
import io.custodia.retention.LegalHolds;
import io.custodia.tenancy.Tenant;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pseudonymised activity log of every tenant. Identifying values are normalised and keyed with the key of the
 * event's period (calendar month in the tenant's time zone) before anything is written; the values themselves are
 * never stored, logged or put in an error message.
 */
@Service
public class ActivityLog {

	private static final Logger log = LoggerFactory.getLogger(ActivityLog.class);

	/** Events per transaction in imports and batches. */
	static final int BATCH = 1000;

	/**
	 * Import batches per acknowledgement: a checkpoint of the embedded database costs milliseconds, a batch of
	 * events about two, so forcing every batch to disk would more than double an import.
	 */
	static final int ACKNOWLEDGE_EVERY = 20;

	/** A support look-up covers at most this many months. */
	static final int MAX_SEARCH_MONTHS = 36;

	private static final JsonMapper LINES = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final String INSERT = "insert into activity_segment (tenant_id, period, first_at, last_at, events, "
			+ "pseudonymous_from, data, user_bloom, event_bloom, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String REWRITE = "update activity_segment set first_at = ?, last_at = ?, events = ?, "
			+ "pseudonymous_from = ?, data = ?, user_bloom = ?, event_bloom = ? where id = ?";

	/** Segments read at a time by {@link #events}. */
	private static final int PAGE = 50;

	/** One line or element of the wire format: every value as text, checked when converted. */
	record EventLine(String type, String at, String userName, String ipAddress, String hostName, String macAddress,
			String browserName, String browserVersion, String product, String eventId) {
	}

	/** An event that was not ingested, by its line (imports) or 1-based position (batches). */
	public record EventError(long line, String field, String message) {
	}

	/**
	 * What an ingest did: events received, stored, not stored again because their {@code event_id} was stored
	 * already ({@code duplicates}), and refused ({@code errors}).
	 */
	public record IngestReport(long received, long stored, long duplicates, List<EventError> errors) {

		public boolean complete() {
			return errors.isEmpty();
		}
	}

	/** Told after each batch of an import commits: every line up to {@code line} is stored or reported. */
	public interface Progress {

		void acknowledged(long line, long stored);
	}

	/** What a DPO's confirmation found; {@code keyDestroyed} when the period is anonymous and nothing can match. */
	public record Confirmation(String pseudonym, String period, boolean match, boolean keyDestroyed) {
	}

	/**
	 * What an expiry did: events made anonymous (or deleted) and periods whose key was destroyed; {@code heldBy}, the
	 * reference of the legal hold on the log's activity that kept it from doing anything, or null.
	 */
	public record Expiry(String tenantId, Instant cutoff, String retention, long events, boolean deleted,
			List<String> periodsDestroyed, String heldBy) {
	}

	/** An event checked and keyed, with its period (the month in the tenant's time zone). */
	private record Row(String period, Event event) {
	}

	private final JdbcTemplate jdbc;

	private final JdbcClient sql;

	private final PeriodKeys keys;

	private final TenantManagement tenants;

	private final AuditTrail audit;

	private final Clock clock;

	private final ActivityProperties properties;

	private final TransactionTemplate transaction;

	private final Durability durability;

	private final LegalHolds holds;

	private final RecordManagement erasures;

	ActivityLog(JdbcTemplate jdbc, JdbcClient sql, PeriodKeys keys, TenantManagement tenants, AuditTrail audit, Clock clock,
			ActivityProperties properties, PlatformTransactionManager transactions, Durability durability,
			LegalHolds holds, RecordManagement erasures) {
		this.holds = holds;
		this.erasures = erasures;
		this.durability = durability;
		this.jdbc = jdbc;
		this.sql = sql;
		this.keys = keys;
		this.tenants = tenants;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	/**
	 * An event checked, normalised and keyed, ready to be written: what another module prepares before its own
	 * short transaction (a licence checkout), so that creating a month's key never happens while it holds locks.
	 */
	public static final class PreparedEvent {

		private final String tenantId;

		private final Row row;

		private PreparedEvent(String tenantId, Row row) {
			this.tenantId = tenantId;
			this.row = row;
		}
	}

	/** Checks, normalises and keys an event of another module; throws {@link InvalidEventException} naming the field. */
	public PreparedEvent prepare(String tenantId, ActivityEvent event) {
		return new PreparedEvent(tenantId, new Keying(tenantId, retention(tenantId), clock.instant()).row(event));
	}

	/**
	 * Checks, normalises and keys events of one tenant as a batch ingest does (one policy look-up, one key look-up
	 * per month), without writing them; throws {@link InvalidEventException} at the first invalid one.
	 */
	public List<PreparedEvent> prepareAll(String tenantId, List<ActivityEvent> events) {
		var keying = new Keying(tenantId, retention(tenantId), clock.instant());
		var prepared = new ArrayList<PreparedEvent>(events.size());
		for (ActivityEvent event : events) {
			prepared.add(new PreparedEvent(tenantId, keying.row(event)));
		}
		return prepared;
	}

	/**
	 * Records a prepared event of another module (licence usage) in the caller's transaction. Not audited one by
	 * one: the log is itself the record, and holds no value in the clear.
	 */
	@Transactional
	public void record(PreparedEvent event) {
		store(event.tenantId, List.of(event.row));
	}

	/** Records one event of another module in the caller's transaction; see {@link #record(PreparedEvent)}. */
	@Transactional
	public void record(String tenantId, ActivityEvent event) {
		record(prepare(tenantId, event));
	}

	/** Ingests events in one transaction, all valid ones; the invalid ones are reported by 1-based position. */
	public IngestReport ingest(String tenantId, List<ActivityEvent> events, String actor) {
		var lines = new ArrayList<Numbered>(events.size());
		for (int i = 0; i < events.size(); i++) {
			lines.add(new Numbered(i + 1, events.get(i), null));
		}
		var totals = new Totals();
		for (int from = 0; from < lines.size(); from += BATCH) {
			batch(tenantId, lines.subList(from, Math.min(lines.size(), from + BATCH)), actor, totals);
		}
		return totals.report(events.size());
	}

	/** Ingests the lines of the wire format (one JSON object each), in batches of {@value #BATCH} per transaction. */
	IngestReport ingestLines(String tenantId, List<EventLine> events, String actor) {
		var lines = new ArrayList<Numbered>(events.size());
		for (int i = 0; i < events.size(); i++) {
			lines.add(converted(i + 1, events.get(i)));
		}
		var totals = new Totals();
		for (int from = 0; from < lines.size(); from += BATCH) {
			batch(tenantId, lines.subList(from, Math.min(lines.size(), from + BATCH)), actor, totals);
		}
		return totals.report(events.size());
	}

	/** The running totals of one ingest. */
	private static final class Totals {

		long stored;

		long duplicates;

		final List<EventError> errors = new ArrayList<>();

		IngestReport report(long received) {
			return new IngestReport(received, stored, duplicates, errors);
		}
	}

	/**
	 * Imports JSON lines (the wire format of docs/operations.md), a batch of {@value #BATCH} lines per transaction.
	 * Progress is acknowledged every {@value #ACKNOWLEDGE_EVERY} batches and at the end, each time after the
	 * committed batches are forced to disk ({@link Durability}), so an acknowledged line survives a killed process.
	 * Blank lines are skipped; bad lines are reported by number.
	 */
	public IngestReport importLines(String tenantId, Reader source, String actor, Progress progress) {
		retention(tenantId);
		var reader = new io.custodia.BoundedLines(source, MAX_LINE);
		var totals = new Totals();
		var pending = new ArrayList<Numbered>(BATCH);
		long number = 0;
		long lines = 0;
		long unacknowledged = 0;
		try {
			Object line;
			while ((line = reader.next()) != null) {
				number++;
				if (line instanceof String text && text.isBlank()) {
					continue;
				}
				lines++;
				pending.add(line instanceof String text ? parse(number, text)
						: new Numbered(number, null, new EventError(number, "line", "is longer than "
								+ String.format(java.util.Locale.ROOT, "%,d", MAX_LINE) + " characters; an event takes a few hundred")));
				if (pending.size() == BATCH) {
					batch(tenantId, pending, actor, totals);
					pending.clear();
					if (++unacknowledged == ACKNOWLEDGE_EVERY) {
						durability.flush();
						progress.acknowledged(number, totals.stored);
						unacknowledged = 0;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!pending.isEmpty()) {
			batch(tenantId, pending, actor, totals);
		}
		durability.flush();
		progress.acknowledged(number, totals.stored);
		return totals.report(lines);
	}

	private record Numbered(long number, ActivityEvent event, EventError error) {
	}

	/** The longest line an activity import reads; longer ones are reported, not held (io.custodia.BoundedLines). */
	static final int MAX_LINE = 1_000_000;

	private static Numbered parse(long number, String text) {
		try {
			return converted(number, LINES.readValue(text, EventLine.class));
		}
		catch (UnrecognizedPropertyException ex) {
			return new Numbered(number, null, new EventError(number, ex.getPropertyName(),
					"is not a field of an activity event; allowed: type, at, user_name, ip_address, host_name, mac_address, "
							+ "browser_name, browser_version, product, event_id"));
		}
		catch (JacksonException ex) {
			return new Numbered(number, null, new EventError(number, "line", "is not a JSON object of text values"));
		}
	}

	private static Numbered converted(long number, EventLine line) {
		try {
			return new Numbered(number, event(line), null);
		}
		catch (InvalidEventException ex) {
			return new Numbered(number, null, new EventError(number, ex.field(), message(ex)));
		}
	}

	/** Converts the wire format, naming the field that is wrong and what is allowed. */
	static ActivityEvent event(EventLine line) {
		if (line == null) {
			throw new InvalidEventException("line", "is empty", "a JSON object");
		}
		if (line.type() == null) {
			throw new InvalidEventException("type", "is required", String.join(", ", EventType.allowed()));
		}
		EventType type = EventType.parse(line.type())
			.orElseThrow(() -> new InvalidEventException("type", "is not a type of event", String.join(", ", EventType.allowed())));
		if (line.at() == null) {
			throw new InvalidEventException("at", "is required", "an ISO-8601 instant, e.g. 2026-01-15T09:00:00Z");
		}
		Instant at;
		try {
			at = OffsetDateTime.parse(line.at().strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEventException("at", "is not an ISO-8601 instant with an offset",
					"an ISO-8601 instant, e.g. 2026-01-15T09:00:00Z");
		}
		return new ActivityEvent(type, at, line.userName(), line.ipAddress(), line.hostName(), line.macAddress(),
				line.browserName(), line.browserVersion(), line.product(), line.eventId());
	}

	private static String message(InvalidEventException ex) {
		return ex.getMessage().substring(ex.field().length() + 2) + "; allowed: " + ex.allowed();
	}

	/** One batch in one transaction with one audit entry (when anything is stored). */
	private void batch(String tenantId, List<Numbered> lines, String actor, Totals totals) {
		var keying = new Keying(tenantId, retention(tenantId), clock.instant());
		var rows = new ArrayList<Row>(lines.size());
		for (Numbered line : lines) {
			if (line.error() != null) {
				totals.errors.add(line.error());
				continue;
			}
			try {
				rows.add(keying.row(line.event()));
			}
			catch (InvalidEventException ex) {
				totals.errors.add(new EventError(line.number(), ex.field(), message(ex)));
			}
		}
		if (rows.isEmpty()) {
			return;
		}
		int stored = transaction.execute(status -> {
			List<Row> fresh = store(tenantId, rows);
			if (fresh.isEmpty()) {
				return 0;
			}
			var periods = new TreeSet<String>();
			String last = null;
			for (Row row : fresh) {
				if (!row.period().equals(last)) {
					last = row.period();
					periods.add(last);
				}
			}
			audit.record(new AuditEvent(tenantId, actor, AuditAction.ACTIVITY_INGESTED, null, null, null,
					Map.of("events", Integer.toString(fresh.size()), "periods", String.join(",", periods))));
			return fresh.size();
		});
		totals.stored += stored;
		totals.duplicates += rows.size() - stored;
	}

	/**
	 * Checks, normalises and keys the events of one tenant at one moment: the policy, the limits in time and each
	 * month's key are looked up once, not per event.
	 */
	private final class Keying {

		private final String tenantId;

		private final LogRetention retention;

		private final Instant now;

		private final Instant latest;

		/** From here on an event is certainly within the retention (null: check each one exactly). */
		private final Instant surelyKept;

		private final Map<String, PeriodKey> periodKeys = new HashMap<>();

		/** The month of the previous event, [monthStart, monthEnd) in the tenant's zone, and its key. */
		private Instant monthStart = Instant.MAX;

		private Instant monthEnd = Instant.MIN;

		private String period;

		private PeriodKey key;

		Keying(String tenantId, LogRetention retention, Instant now) {
			this.tenantId = tenantId;
			this.retention = retention;
			this.now = now;
			this.latest = now.plus(Duration.ofDays(1));
			this.surelyKept = retention.surelyKeptFrom(now);
		}

		/** Checks, normalises and keys one event. Throws {@link InvalidEventException} naming the field. */
		Row row(ActivityEvent event) {
			if (event.type() == null) {
				throw new InvalidEventException("type", "is required", String.join(", ", EventType.allowed()));
			}
			Instant at = event.at();
			if (at == null) {
				throw new InvalidEventException("at", "is required", "an ISO-8601 instant, e.g. 2026-01-15T09:00:00Z");
			}
			if (at.isAfter(latest)) {
				throw new InvalidEventException("at", "is more than a day in the future", "an instant up to a day from now");
			}
			if ((surelyKept == null || at.isBefore(surelyKept)) && !retention.keeps(at, now)) {
				throw new InvalidEventException("at", "is older than the log retention (" + retention.period()
						+ "): it would be anonymous at once", "an instant within the last " + retention.period());
			}
			String product = Normalise.label("product", event.product(), 100);
			if (event.type().isProduct() && product == null) {
				throw new InvalidEventException("product", "is required for " + event.type().wire(), "the product's name");
			}
			String browserName = Normalise.label("browser_name", event.browserName(), 100);
			String browserVersion = Normalise.label("browser_version", event.browserVersion(), 50);
			byte[] user = PrfInput.userName(event.userName());
			byte[] ip = PrfInput.ipAddress(event.ipAddress());
			byte[] host = PrfInput.hostName(event.hostName());
			byte[] mac = PrfInput.macAddress(event.macAddress());
			String eventId = Normalise.label("event_id", event.eventId(), 100);
			if (at.isBefore(monthStart) || !at.isBefore(monthEnd)) {
				month(at);
			}
			return new Row(period, new Event(event.type(), at, product, browserName, browserVersion, key.of(user),
					key.of(ip), key.of(host), key.of(mac), key.eventKey(eventId, at)));
		}

		private void month(Instant at) {
			YearMonth month = YearMonth.from(at.atZone(retention.zone()));
			String name = month.toString();
			PeriodKey found = periodKeys.get(name);
			if (found == null) {
				try {
					found = keys.keyFor(tenantId, name);
				}
				catch (PeriodClosedException ex) {
					throw new InvalidEventException("at", "falls in a period whose log retention has ended",
							"an instant within the last " + retention.period());
				}
				periodKeys.put(name, found);
			}
			period = name;
			key = found;
			monthStart = month.atDay(1).atStartOfDay(retention.zone()).toInstant();
			monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(retention.zone()).toInstant();
		}
	}

	/**
	 * Writes the rows that are not stored already (by their client event id) as segments, in the caller's
	 * transaction; returns those written.
	 */
	private List<Row> store(String tenantId, List<Row> rows) {
		List<Row> fresh = withoutDuplicates(tenantId, rows);
		if (!fresh.isEmpty()) {
			insert(tenantId, fresh);
		}
		return fresh;
	}

	/**
	 * The rows without those whose keyed event id is stored already or came earlier in the same rows. A stored
	 * duplicate has the same time, so only the month's segments whose time span holds one of the rows' times are
	 * asked, by their Bloom filter of event ids, and only those that may hold one are read.
	 */
	private List<Row> withoutDuplicates(String tenantId, List<Row> rows) {
		var spans = new HashMap<String, Instant[]>();
		for (Row row : rows) {
			if (row.event().eventKey() != null) {
				Instant at = row.event().at();
				spans.merge(row.period(), new Instant[] { at, at }, (a, b) -> new Instant[] {
						a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1] });
			}
		}
		if (spans.isEmpty()) {
			return rows;
		}
		var stored = new HashSet<ByteBuffer>();
		spans.forEach((period, span) -> {
			var keys = rows.stream().filter(r -> r.period().equals(period) && r.event().eventKey() != null)
				.map(r -> r.event().eventKey()).toList();
			List<Long> candidates = sql.sql("select id, event_bloom from activity_segment where tenant_id = ? and period = ? "
					+ "and event_bloom is not null and first_at <= ? and last_at >= ?")
				.params(tenantId, period, utc(span[1]), utc(span[0]))
				.query((rs, n) -> {
					var bloom = EventSegment.bloom(rs.getBytes(2));
					return keys.stream().anyMatch(bloom) ? rs.getLong(1) : -1L;
				})
				.list();
			for (long id : candidates) {
				if (id >= 0) {
					segment(id).content().events().forEach(e -> {
						if (e.eventKey() != null) {
							stored.add(ByteBuffer.wrap(e.eventKey()));
						}
					});
				}
			}
		});
		var fresh = new ArrayList<Row>(rows.size());
		for (Row row : rows) {
			if (row.event().eventKey() == null || stored.add(ByteBuffer.wrap(row.event().eventKey()))) {
				fresh.add(row);
			}
		}
		return fresh;
	}

	/** Writes the rows as segments: one per month, each of at most {@link EventSegment#MAX_EVENTS} events. */
	private void insert(String tenantId, List<Row> rows) {
		OffsetDateTime received = utc(clock.instant());
		var byPeriod = new LinkedHashMap<String, List<Event>>();
		for (Row row : rows) {
			byPeriod.computeIfAbsent(row.period(), p -> new ArrayList<>(rows.size())).add(row.event());
		}
		byPeriod.forEach((period, events) -> {
			for (int from = 0; from < events.size(); from += EventSegment.MAX_EVENTS) {
				var segment = EventSegment.of(events.subList(from, Math.min(events.size(), from + EventSegment.MAX_EVENTS)));
				jdbc.update(INSERT, ps -> {
					ps.setString(1, tenantId);
					ps.setString(2, period);
					ps.setObject(3, utc(segment.firstAt()));
					ps.setObject(4, utc(segment.lastAt()));
					ps.setInt(5, segment.events().size());
					time(ps, 6, segment.pseudonymousFrom());
					ps.setBytes(7, segment.encode());
					bytes(ps, 8, segment.userBloom());
					bytes(ps, 9, segment.eventBloom());
					ps.setObject(10, received);
				});
			}
		});
	}

	private void rewrite(long id, EventSegment segment) {
		jdbc.update(REWRITE, ps -> {
			ps.setObject(1, utc(segment.firstAt()));
			ps.setObject(2, utc(segment.lastAt()));
			ps.setInt(3, segment.events().size());
			time(ps, 4, segment.pseudonymousFrom());
			ps.setBytes(5, segment.encode());
			bytes(ps, 6, segment.userBloom());
			bytes(ps, 7, segment.eventBloom());
			ps.setLong(8, id);
		});
	}

	private static void time(PreparedStatement ps, int index, Instant value) throws SQLException {
		if (value == null) {
			ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
		}
		else {
			ps.setObject(index, utc(value));
		}
	}

	private static void bytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
		if (value == null) {
			ps.setNull(index, Types.VARBINARY);
		}
		else {
			ps.setBytes(index, value);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** A segment as read: its id, month and events. */
	private record Segment(long id, String period, EventSegment content) {

		StoredEvent stored(int position) {
			Event event = content.events().get(position);
			return new StoredEvent(id * EventSegment.MAX_EVENTS + content.firstSeq() + position, period, event.type().wire(),
					event.at(), event.product(), event.browserName(), event.browserVersion(),
					PeriodKeys.text(Kind.USER, event.user()), PeriodKeys.text(Kind.IP, event.ip()),
					PeriodKeys.text(Kind.HOST, event.host()), PeriodKeys.text(Kind.MAC, event.mac()));
		}
	}

	private static final Comparator<StoredEvent> IN_TIME = Comparator.comparing(StoredEvent::at)
		.thenComparingLong(StoredEvent::id);

	/**
	 * Support's look-up: the user name is normalised and keyed with the key of every month from {@code from} to
	 * {@code to} that still has one, and the events with those pseudonyms are returned, oldest first. Audited
	 * (never with the name).
	 */
	@Transactional
	public List<StoredEvent> findByUser(String tenantId, String userName, YearMonth from, YearMonth to, String actor) {
		retention(tenantId);
		String user = Normalise.userName(userName);
		if (user == null) {
			throw new InvalidEventException("user_name", "is required", "the user name as the client reported it");
		}
		if (from.isAfter(to) || from.plusMonths(MAX_SEARCH_MONTHS).isBefore(to)) {
			throw new InvalidEventException("from", "must not be after 'to', and the range at most " + MAX_SEARCH_MONTHS
					+ " months", "two months as YYYY-MM, at most " + MAX_SEARCH_MONTHS + " months apart");
		}
		var found = new ArrayList<StoredEvent>();
		var searched = new ArrayList<String>();
		for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
			String period = month.toString();
			var key = keys.existing(tenantId, period);
			if (key.isEmpty()) {
				continue;
			}
			searched.add(period);
			byte[] pseudonym = key.get().raw(Kind.USER, user);
			// the Bloom filters first: only the segments that may hold the user are read
			List<Long> candidates = sql.sql("select id, user_bloom from activity_segment where tenant_id = ? and period = ? "
					+ "and user_bloom is not null order by id")
				.params(tenantId, period)
				.query((rs, n) -> EventSegment.mayHoldUser(rs.getBytes(2), pseudonym) ? rs.getLong(1) : -1L)
				.list();
			var inMonth = new ArrayList<StoredEvent>();
			for (long id : candidates) {
				if (id < 0) {
					continue;
				}
				Segment segment = segment(id);
				List<Event> events = segment.content().events();
				for (int i = 0; i < events.size(); i++) {
					if (Arrays.equals(events.get(i).user(), pseudonym)) {
						inMonth.add(segment.stored(i));
					}
				}
			}
			inMonth.sort(IN_TIME);
			found.addAll(inMonth);
		}
		audit.record(new AuditEvent(tenantId, actor, AuditAction.ACTIVITY_SEARCHED, null, null, "look-up by user name",
				Map.of("from", from.toString(), "to", to.toString(), "periods_with_key", String.join(",", searched),
						"events_found", Integer.toString(found.size()))));
		return found;
	}

	/**
	 * The DPO's re-identification: does the pseudonym of {@code period} belong to {@code candidate}? The candidate
	 * is normalised and keyed like an ingested value and compared; nothing maps pseudonyms back to values, so this
	 * confirmation is the only way back, and only while the period's key lives. Audited, with the answer.
	 */
	@Transactional
	public Confirmation confirm(String tenantId, String pseudonym, String period, String candidate, String actor) {
		retention(tenantId);
		Kind kind = Kind.of(pseudonym)
			.orElseThrow(() -> new InvalidEventException("pseudonym", "is not a pseudonym of this log",
					"a pseudonym as stored: u-…, ip-…, h-… or m-…"));
		YearMonth month;
		try {
			month = YearMonth.parse(period == null ? "" : period.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEventException("period", "is not a month", "the event's period as YYYY-MM");
		}
		String normalised = switch (kind) {
			case USER -> Normalise.userName(candidate);
			case IP -> Normalise.ipAddress(candidate);
			case HOST -> Normalise.hostName(candidate);
			case MAC -> Normalise.macAddress(candidate);
		};
		if (normalised == null) {
			throw new InvalidEventException("candidate", "is required", "the value to compare with the pseudonym");
		}
		var key = keys.existing(tenantId, month.toString());
		boolean match = key.isPresent() && key.get().pseudonym(kind, normalised).equals(pseudonym.strip());
		audit.record(new AuditEvent(tenantId, actor, AuditAction.PSEUDONYM_CONFIRMED, null, null, "re-identification",
				Map.of("pseudonym", pseudonym.strip(), "period", month.toString(), "kind", kind.name().toLowerCase(),
						"match", Boolean.toString(match), "key_destroyed", Boolean.toString(key.isEmpty()))));
		return new Confirmation(pseudonym.strip(), month.toString(), match, key.isEmpty());
	}

	private Segment segment(long id) {
		return sql.sql("select id, period, data from activity_segment where id = ?")
			.param(id)
			.query(ActivityLog::segment)
			.single();
	}

	private static Segment segment(ResultSet rs, int n) throws SQLException {
		return new Segment(rs.getLong(1), rs.getString(2), EventSegment.decode(rs.getBytes(3)));
	}

	/** Events of the tenant between two instants, oldest first, at most {@code limit}: pseudonyms only. */
	@Transactional(readOnly = true)
	public List<StoredEvent> events(String tenantId, Instant from, Instant to, int limit) {
		retention(tenantId);
		int wanted = Math.max(1, limit);
		var found = new ArrayList<StoredEvent>();
		// segments in the order of their first event; once the wanted events are all older than the next segment's
		// first, no later segment can hold one that comes before them
		Instant afterAt = null;
		long afterId = 0;
		while (true) {
			var page = sql.sql("select id, period, data, first_at from activity_segment where tenant_id = ? and first_at < ? "
					+ "and last_at >= ?" + (afterAt == null ? "" : " and (first_at > ? or (first_at = ? and id > ?))")
					+ " order by first_at, id fetch first " + PAGE + " rows only")
				.params(afterAt == null ? List.of(tenantId, utc(to), utc(from))
						: List.of(tenantId, utc(to), utc(from), utc(afterAt), utc(afterAt), afterId))
				.query(ActivityLog::segment)
				.list();
			for (Segment segment : page) {
				Instant first = segment.content().firstAt();
				if (found.size() >= wanted) {
					found.sort(IN_TIME);
					found.subList(wanted, found.size()).clear();
					if (found.get(wanted - 1).at().isBefore(first)) {
						return found;
					}
				}
				List<Event> events = segment.content().events();
				for (int i = 0; i < events.size(); i++) {
					Instant at = events.get(i).at();
					if (!at.isBefore(from) && at.isBefore(to)) {
						found.add(segment.stored(i));
					}
				}
				afterAt = first;
				afterId = segment.id();
			}
			if (page.size() < PAGE) {
				break;
			}
		}
		found.sort(IN_TIME);
		return found.size() > wanted ? new ArrayList<>(found.subList(0, wanted)) : found;
	}

	/** Usage per product of one month (the tenant's time zone), for billing: pseudonyms only, see {@link UsageReport}. */
	@Transactional(readOnly = true)
	public UsageReport usage(String tenantId, YearMonth month) {
		retention(tenantId);
		record Use(Instant at, long id, boolean start, String product, ByteBuffer user, ByteBuffer host) {
		}
		var uses = new ArrayList<Use>();
		sql.sql("select id, data from activity_segment where tenant_id = ? and period = ?")
			.params(tenantId, month.toString())
			.query(rs -> {
				long id = rs.getLong(1);
				EventSegment segment = EventSegment.decode(rs.getBytes(2));
				List<Event> events = segment.events();
				for (int i = 0; i < events.size(); i++) {
					Event event = events.get(i);
					if (event.type().isProduct()) {
						uses.add(new Use(event.at(), id * EventSegment.MAX_EVENTS + segment.firstSeq() + i,
								event.type() == EventType.PRODUCT_START, event.product(), wrap(event.user()), wrap(event.host())));
					}
				}
			});
		uses.sort(Comparator.comparing(Use::at).thenComparingLong(Use::id));
		record Tally(Set<ByteBuffer> users, long[] sessions, long[] seconds, long[] open) {
		}
		record Session(String product, ByteBuffer user, ByteBuffer host) {
		}
		var products = new TreeMap<String, Tally>();
		var started = new HashMap<Session, ArrayDeque<Instant>>();
		for (Use use : uses) {
			Tally tally = products.computeIfAbsent(use.product(),
					p -> new Tally(new HashSet<>(), new long[1], new long[1], new long[1]));
			var session = new Session(use.product(), use.user(), use.host());
			if (use.start()) {
				tally.sessions()[0]++;
				if (use.user() != null) {
					tally.users().add(use.user());
					started.computeIfAbsent(session, s -> new ArrayDeque<>()).addLast(use.at());
				}
			}
			else if (use.user() != null) {
				var open = started.get(session);
				if (open != null && !open.isEmpty()) {
					tally.seconds()[0] += Duration.between(open.pollFirst(), use.at()).toSeconds();
				}
			}
		}
		started.forEach((session, open) -> products.get(session.product()).open()[0] += open.size());
		var lines = new ArrayList<UsageReport.Line>();
		products.forEach((product, tally) -> lines.add(new UsageReport.Line(product, tally.users().size(), tally.sessions()[0],
				BigDecimal.valueOf(tally.seconds()[0]).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP), tally.open()[0])));
		return new UsageReport(month.toString(), lines);
	}

	private static ByteBuffer wrap(byte[] raw) {
		return raw == null ? null : ByteBuffer.wrap(raw);
	}

	/**
	 * Ends the log retention where it is due: events older than the retention lose their pseudonyms (or are
	 * deleted, when the policy's rule deletes), and every month whose last moment is older than the retention has
	 * its key destroyed. A segment that straddles the cutoff is rewritten with the rest of its events. Audited when
	 * anything was done.
	 */
	@Transactional
	public Expiry expire(String tenantId, String actor) {
		LogRetention retention = retention(tenantId);
		ZonedDateTime cutoff = clock.instant().atZone(retention.zone()).minus(retention.period());
		Instant limit = cutoff.toInstant();
		// a hold on the log's activity (R5: logs kept as evidence) keeps every event and every month's key; the log is
		// one whole, so there is nothing narrower to keep
		String activity = properties.policyActivity();
		// under the lock a hold takes to be placed: one placed while this runs is either seen or placed after it
		erasures.lockErasures(tenantId);
		var hold = holds.active(tenantId).stream()
			.filter(h -> h.scope() == HoldScope.ACTIVITY && h.scopeId().equals(activity))
			.findFirst();
		if (hold.isPresent()) {
			holds.heldBack(tenantId, actor, null, null, hold.get(), "activity log expiry");
			return new Expiry(tenantId, limit, retention.period().toString(), 0, retention.delete(), List.of(),
					hold.get().reference());
		}
		List<Long> due = sql.sql("select id from activity_segment where tenant_id = ? and "
				+ (retention.delete() ? "first_at" : "pseudonymous_from") + " <= ? order by id")
			.params(tenantId, utc(limit))
			.query(Long.class)
			.list();
		long events = 0;
		for (long id : due) {
			Segment segment = segment(id);
			List<Event> all = segment.content().events();
			var kept = new ArrayList<Event>(all.size());
			int ended = 0;
			for (Event event : all) {
				if (event.at().isAfter(limit)) {
					kept.add(event);
				}
				else if (retention.delete()) {
					ended++;
				}
				else if (event.pseudonymous()) {
					ended++;
					kept.add(event.anonymous());
				}
				else {
					kept.add(event);
				}
			}
			events += ended;
			if (kept.isEmpty()) {
				sql.sql("delete from activity_segment where id = ?").param(id).update();
			}
			else if (ended > 0) {
				// deleted events are the oldest, so the rest keep their sequence numbers (and ids)
				rewrite(id, new EventSegment(segment.content().firstSeq() + all.size() - kept.size(), kept));
			}
		}
		var destroyed = new ArrayList<String>();
		for (String period : keys.livePeriods(tenantId)) {
			ZonedDateTime end = YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay(retention.zone());
			if (!end.isAfter(cutoff) && keys.destroy(tenantId, period)) {
				destroyed.add(period);
			}
		}
		if (events > 0 || !destroyed.isEmpty()) {
			var details = new LinkedHashMap<String, String>();
			details.put(retention.delete() ? "events_deleted" : "events_anonymised", Long.toString(events));
			details.put("period_keys_destroyed", String.join(",", destroyed));
			audit.record(new AuditEvent(tenantId, actor, AuditAction.ACTIVITY_DEIDENTIFIED, null, null,
					"retention:" + retention.source(), details));
		}
		return new Expiry(tenantId, cutoff.toInstant(), retention.period().toString(), events, retention.delete(), destroyed,
				null);
	}

	/** The daily expiry over every tenant; one tenant's failure does not stop the others. */
	public List<Expiry> expireAll() {
		var done = new ArrayList<Expiry>();
		for (Tenant tenant : tenants.all()) {
			try {
				done.add(expire(tenant.id(), "system:activity-retention"));
			}
			catch (RuntimeException ex) {
				log.warn("activity log expiry failed for tenant {}: {}", tenant.id(), ex.getClass().getSimpleName());
			}
		}
		return done;
	}

	/** The tenant's log retention and time zone; an unknown tenant is not found. */
	LogRetention retention(String tenantId) {
		Policy policy = tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
		var zone = java.time.ZoneId.of(policy.timeZone());
		Policy.Activity activity = policy.activities().get(properties.policyActivity());
		if (activity != null && activity.retention() != null) {
			for (Policy.RetentionRule rule : activity.retention()) {
				if (rule.period() != null && !rule.period().isZero()) {
					return new LogRetention(zone, rule.period(), rule.action() == Policy.RetentionAction.DELETE,
							properties.policyActivity() + "/" + rule.id());
				}
			}
		}
		return new LogRetention(zone, properties.defaultRetention(), false, "default");
	}
}
