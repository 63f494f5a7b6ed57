package io.custodia.records;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** For tests of two transactions at once: one held open on a thread of its own while the other runs. */
final class OpenTransactions {

	private OpenTransactions() {
	}

	/** A transaction that has done its work and waits, holding its locks, until {@link #commit}. */
	record Held<T>(CountDownLatch release, CompletableFuture<T> result) {

		T commit() throws Exception {
			release.countDown();
			return result.get(10, TimeUnit.SECONDS);
		}
	}

	/** Runs the work in a transaction on another thread and keeps it open until {@link Held#commit}. */
	static <T> Held<T> holdOpen(PlatformTransactionManager transactions, Supplier<T> work) throws InterruptedException {
		var done = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		var result = async(() -> new TransactionTemplate(transactions).execute(status -> {
			T value = work.get();
			done.countDown();
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return value;
		}));
		assertThat(done.await(10, TimeUnit.SECONDS)).as("the held transaction did its work").isTrue();
		return new Held<>(release, result);
	}

	/**
	 * A thread of its own for each side: with CompletableFuture's default the two may share one pool thread (on two
	 * cores, with newer JDKs), and the second would only start once the first had committed.
	 */
	static <T> CompletableFuture<T> async(Supplier<T> work) {
		var result = new CompletableFuture<T>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(work.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "open-transactions-test");
		thread.setDaemon(true);
		thread.start();
		return result;
	}
}
