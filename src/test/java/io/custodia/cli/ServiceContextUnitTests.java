package io.custodia.cli;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceContextUnitTests {

	@Test
	void aDatabaseHeldByTheRunningServiceIsExplainedWithWhatToDo() {
		var locked = new IllegalStateException("Error creating bean with name 'flyway'",
				new SQLException("Database may be already in use: \"data/custodia.mv.db\"", "90020", 90020));

		assertThat(ServiceContext.explained(locked)).hasMessageStartingWith("the embedded database is open in another process")
			.hasMessageContaining("stop the service")
			.hasCause(locked);
	}

	@Test
	void anyOtherFailureIsLeftAsItIs() {
		var other = new IllegalStateException("something else", new SQLException("Connection refused", "08001", 0));

		assertThat(ServiceContext.explained(other)).isSameAs(other);
	}
}
