package io.custodia.consent;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.custodia.records.Durability;

/**
 * A receipt is acknowledged only once it would survive a killed process. PostgreSQL's commits are durable;
 * the embedded H2 needs a checkpoint, and one per request would write a file chunk per receipt. So commits
 * share checkpoints (group commit): a caller whose commit is done waits for a checkpoint that started after
 * it; whoever finds none running starts one, which covers every commit made before it began.
 */
@Component
class Acknowledgements {

	private final Durability durability;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition flushedMore = lock.newCondition();

	private long committed;

	private long flushed;

	private boolean flushing;

	Acknowledgements(Durability durability) {
		this.durability = durability;
	}

	/** Inside a caller's transaction: waits after it commits; outside one: now. */
	void afterCommit() {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					awaitDurable();
				}
			});
		}
		else {
			awaitDurable();
		}
	}

	/** Returns once everything committed before the call is on disk. */
	void awaitDurable() {
		long ticket;
		long target;
		lock.lock();
		try {
			ticket = ++committed;
			while (true) {
				while (flushing && flushed < ticket) {
					flushedMore.awaitUninterruptibly();
				}
				if (flushed >= ticket) {
					return;
				}
				flushing = true;
				target = committed;
				lock.unlock();
				boolean done = false;
				try {
					durability.flush();
					done = true;
				}
				finally {
					lock.lock();
					flushing = false;
					if (done) {
						flushed = Math.max(flushed, target);
					}
					flushedMore.signalAll();
				}
			}
		}
		finally {
			lock.unlock();
		}
	}
}
