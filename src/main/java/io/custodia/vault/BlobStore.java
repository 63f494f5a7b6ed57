package io.custodia.vault;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.UUID;

/**
 * Where the vault keeps its blobs: ciphertext only, named by tenant and file id, never by anything a tenant
 * wrote. Local disk by default ({@link LocalDiskBlobStore}); an S3-compatible object store implements the same
 * four operations (multipart upload, ranged GETs, delete, delete by prefix).
 */
public interface BlobStore {

	/** A blob being written: visible under its name only after {@link #commit}, never half-written. */
	interface PendingBlob extends AutoCloseable {

		WritableByteChannel channel();

		/** Makes the blob durable and visible under its name, replacing nothing (a name is written once). */
		void commit() throws IOException;

		/** Discards the blob unless it was committed. */
		@Override
		void close() throws IOException;
	}

	PendingBlob create(String tenantId, UUID blobId) throws IOException;

	/** The blob for random-access reading; the caller closes it. */
	SeekableByteChannel open(String tenantId, UUID blobId) throws IOException;

	/** Removes the blob; false when there was none. */
	boolean delete(String tenantId, UUID blobId) throws IOException;

	/** Removes every blob of the tenant; returns how many there were. */
	long deleteAll(String tenantId) throws IOException;
}
